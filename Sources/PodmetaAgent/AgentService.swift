import Logging
import PodmetaCore
import PodmetaIO
import PodmetaState
import ServiceLifecycle
import Synchronization

/// The agent's main loop: read the sources whenever the watcher says something may have
/// changed, publish a new revision when the content changed, and bring every output in
/// step with it.
///
/// One task runs the loop, so reads, publishes and writes never overlap; triggers that
/// arrive while a read is under way are coalesced into one more read.
package final class AgentService: Service {
    package let configuration: AgentConfiguration
    package let store: SnapshotStore
    package let health: AgentHealth
    package let metrics: MetricsRegistry
    private let logger: Logger
    /// What SIGHUP can change while running: the items read and the outputs written.
    private let reloadable: Mutex<(loader: SnapshotLoader, outputs: [any SnapshotOutput])>
    /// Wakes the loop after ``reconfigure(loader:outputs:)``.
    private let reconfigurations = Mutex<AsyncStream<Event>.Continuation?>(nil)

    /// What the loop reacts to.
    enum Event: Sendable {
        case trigger(WatchTrigger)
        case reconfigured
    }

    package init(
        configuration: AgentConfiguration, store: SnapshotStore, health: AgentHealth,
        metrics: MetricsRegistry, logger: Logger
    ) {
        self.configuration = configuration
        self.store = store
        self.health = health
        self.metrics = metrics
        self.logger = logger
        self.reloadable = Mutex((configuration.loader, configuration.outputs))
    }

    /// Replaces the items read and the outputs written (SIGHUP), then re-reads and writes
    /// every output. The volume path and the watcher stay as they are: they are bound at
    /// start.
    package func reconfigure(loader: SnapshotLoader, outputs: [any SnapshotOutput]) {
        reloadable.withLock { $0 = (loader, outputs) }
        _ = reconfigurations.withLock { $0?.yield(.reconfigured) }
    }

    /// Outputs whose last write failed; retried on every later read.
    struct OutputState {
        var failed: Set<String> = []
        var lastIssues: [SourceIssue] = []
        /// The last read found an empty volume root (warned once until it fills).
        var volumeEmpty = false
        /// Why the last read failed, nil when it succeeded.
        var readError: (any Error)?
    }

    package func run() async throws {
        var state = OutputState()
        health.update { $0.alive = true }
        // 0 until every output is written, so `podmeta_ready == 0` can alert.
        if !health.status.ready { metrics.set(.ready, to: 0) }
        defer { health.update { $0.alive = false } }

        if configuration.once {
            let ok = refresh(trigger: "once", state: &state)
            // A source that cannot be read is thrown as is, so the CLI exits 66 (unreadable)
            // or 65 (malformed data in strict mode) as the contract says.
            if let error = state.readError { throw error }
            if !ok { throw AgentError.onceFailed(health.status.degradedReason ?? "a source or output failed") }
            return
        }

        let watcher = try makeWatcher()
        let triggers = watcher.triggers()
        let (events, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingNewest(64))
        reconfigurations.withLock { $0 = continuation }
        defer { reconfigurations.withLock { $0 = nil } }
        // The watcher's work and the hand-off of its triggers are children of this group:
        // nothing the loop starts outlives run().
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await watcher.run() }
            group.addTask {
                for await trigger in triggers { continuation.yield(.trigger(trigger)) }
                continuation.finish()
            }
            _ = refresh(trigger: "start", state: &state)
            await withGracefulShutdownHandler {
                for await event in events {
                    switch event {
                    case .trigger(.volumeMissing):
                        logger.warning(
                            "volume missing; keeping the last good snapshot",
                            metadata: ["path": "\(configuration.loader.volume ?? "")"])
                        health.update { $0.degradedReason = "volume \(configuration.loader.volume ?? "") is missing" }
                    case .trigger(let trigger):
                        _ = refresh(trigger: trigger.metricLabel, state: &state)
                    case .reconfigured:
                        // New outputs have never been written: write them all.
                        _ = refresh(trigger: "reconfigured", rewriteAll: true, state: &state)
                    }
                }
            } onGracefulShutdown: {
                watcher.stop()
            }
            watcher.stop()
            group.cancelAll()
        }
        logger.info("agent stopped", metadata: ["revision": "\(store.current?.revision ?? 0)"])
    }

    private func makeWatcher() throws -> any Watcher {
        guard let volume = configuration.loader.volume else {
            // Environment only: nothing changes after start but the resync.
            return PollingWatcher(root: nil, paths: [], interval: nil, resync: configuration.resyncInterval)
        }
        let paths = configuration.loader.assembler.items.map(\.path)
        switch configuration.watcherBackend {
        case .polling:
            return PollingWatcher(
                root: volume, paths: paths, interval: configuration.pollInterval, resync: configuration.resyncInterval)
        case .inotify:
            return try InotifyWatcher(root: volume, paths: paths, resync: configuration.resyncInterval, logger: logger)
        case .auto:
            do {
                return try InotifyWatcher(
                    root: volume, paths: paths, resync: configuration.resyncInterval, logger: logger)
            } catch {
                // A path that is not a directory is the user's mistake, not a missing
                // kernel feature: polling would not help.
                guard error.allowsPollingFallback else { throw error }
                logger.warning(
                    "inotify unavailable, falling back to polling",
                    metadata: ["error": "\(error)", "interval": "\(configuration.pollInterval)"])
                return PollingWatcher(
                    root: volume, paths: paths, interval: configuration.pollInterval,
                    resync: configuration.resyncInterval)
            }
        }
    }

    /// Reads, publishes if changed, and writes outputs that need it. Returns false when a
    /// source or an output failed.
    @discardableResult
    func refresh(trigger: String, rewriteAll: Bool = false, state: inout OutputState) -> Bool {
        metrics.increment(.reads, labels: ["trigger": trigger])
        let load: SnapshotLoader.Load
        let loader = reloadable.withLock { $0.loader }
        do {
            load = try loader.load(variables: configuration.variables)
        } catch {
            let reason =
                (error as? VolumeReadError).map { $0.kind == .missing ? "volume_missing" : "volume_unreadable" }
                ?? "bad_data"
            metrics.increment(.readErrors, labels: ["reason": reason])
            state.readError = error
            // A one-shot run throws the error instead; logging it too would say it twice.
            if !configuration.once {
                logger.error(
                    "read failed; keeping the last good snapshot",
                    metadata: ["error": "\(error)", "trigger": "\(trigger)"])
            }
            health.update { $0.degradedReason = "\(error)" }
            return false
        }
        // A volume root with neither `..data` nor any mapped item is not the pod's metadata
        // but a volume being set up or torn down: the kubelet creates the directory before
        // its first write, unmounts the tmpfs on teardown (leaving the root empty), and a
        // recursive delete removes `..data` while the top-level symlinks still dangle.
        // Publishing it would replace the last good document with an empty one.
        if let read = load.volumeRead, !read.isKubeletVolume, read.files.isEmpty {
            let reason =
                "volume \(loader.volume ?? "") holds no ..data and none of the items (being set up or torn down?)"
            metrics.increment(.readErrors, labels: ["reason": "volume_empty"])
            state.readError = VolumeReadError(
                path: loader.volume ?? "", kind: .unreadable, reason: "it holds no ..data and none of the items")
            if !state.volumeEmpty && !configuration.once {
                state.volumeEmpty = true
                logger.warning(
                    "volume is empty; keeping the last good snapshot",
                    metadata: ["path": "\(loader.volume ?? "")", "trigger": "\(trigger)"])
            }
            health.update { $0.degradedReason = reason }
            return false
        }
        state.volumeEmpty = false
        state.readError = nil
        if load.issues != state.lastIssues {
            for issue in load.issues {
                logger.warning("\(issue.message)", metadata: ["source": "\(issue.source)"])
            }
            metrics.increment(.sourceWarnings, by: Double(load.issues.count))
            state.lastIssues = load.issues
        }
        var ok = true
        if let published = store.publish(load.snapshot) {
            metrics.increment(.publishes)
            metrics.set(.revision, to: Double(published.revision))
            metrics.set(.lastChange, to: published.publishedAt)
            logger.info(
                "published",
                metadata: [
                    "revision": "\(published.revision)", "trigger": "\(trigger)",
                    "generation": "\(load.volumeRead?.generation ?? "-")",
                ])
            ok = writeOutputs(published, only: nil, state: &state)
        } else if rewriteAll || !state.failed.isEmpty, let current = store.current {
            ok = writeOutputs(current, only: rewriteAll ? nil : state.failed, state: &state)
        }
        // Ready once every output holds a published snapshot, and from then on: a later
        // failed write keeps the previous file (degraded, retried), which is still there
        // for the app to read.
        let complete = store.current != nil && state.failed.isEmpty
        health.update {
            if complete { $0.ready = true }
            if ok { $0.degradedReason = nil }
        }
        if complete { metrics.set(.ready, to: 1) }
        return ok
    }

    private func writeOutputs(_ published: PublishedSnapshot, only: Set<String>?, state: inout OutputState) -> Bool {
        var ok = true
        let outputs = reloadable.withLock { $0.outputs }
        for output in outputs where only?.contains(output.name) ?? true {
            do {
                try output.write(published)
                metrics.increment(.outputWrites, labels: ["output": output.name])
                if state.failed.remove(output.name) != nil {
                    logger.info(
                        "output recovered", metadata: ["path": "\(output.path)", "revision": "\(published.revision)"])
                }
            } catch {
                ok = false
                state.failed.insert(output.name)
                metrics.increment(.outputErrors, labels: ["output": output.name])
                // Only a file that exists can be intact: before the first write there is none.
                let kept =
                    AtomicFileWriter.fileExists(at: output.path)
                    ? "the previous file is intact" : "no previous file exists"
                logger.error(
                    "write failed; \(kept) and the write is retried",
                    metadata: ["path": "\(output.path)", "error": "\(error)", "revision": "\(published.revision)"])
                health.update { $0.degradedReason = "cannot write \(output.path): \(error)" }
            }
        }
        // After a pass over every output, only outputs that still exist can be pending: one
        // a reload removed must not hold readiness back forever.
        if only == nil { state.failed.formIntersection(outputs.map(\.name)) }
        return ok
    }
}
