import Logging
import PodmetaCore
import PodmetaProcess
import PodmetaState
import PodmetaSystem
import Synchronization

/// Fires the configured hooks on published changes of labels and annotations, off the
/// publishing path: it follows the store's updates on its own task, and each hook runs in
/// its own ``HookRunner`` (never concurrently with itself, bursts coalesced).
///
/// A run describes what changed since the last run of the same hook that started (for a
/// webhook: that was acknowledged; changes of an unacknowledged delivery are sent again by
/// the next run), so a run that stands for a coalesced burst still reports every change.
///
/// Structured: ``run()`` holds every runner's task in one task group, including runners
/// retired by ``replace(hooks:deadline:)`` until they have drained, so ``shutdown(deadline:)``
/// bounds them all and `run()` returns only when none is left.
package final class HookDispatcher: Sendable {
    private final class Entry: Sendable {
        let configuration: HookConfiguration
        let runner: HookRunner
        /// The snapshot the hook's last started run saw (its baseline for the next diff).
        let baseline = Mutex<PublishedSnapshot?>(nil)
        /// The baseline before the run in progress, restored when that run fails.
        let beforeRun = Mutex<PublishedSnapshot?>(nil)

        init(configuration: HookConfiguration, runner: HookRunner) {
            self.configuration = configuration
            self.runner = runner
        }
    }

    private enum Command: Sendable {
        case start(HookRunner)
        case retire([HookRunner], deadline: Duration)
    }

    private struct State {
        var entries: [Entry] = []
        /// Runners not fired by store changes (a template's `command`), of this generation.
        var extras: [HookRunner] = []
        /// Retired runners still draining.
        var retiring: [ObjectIdentifier: HookRunner] = [:]
        var stopped = false
    }

    private let state = Mutex(State())
    private let commands: AsyncStream<Command>
    private let commandSink: AsyncStream<Command>.Continuation
    private let store: SnapshotStore
    private let logger: Logger
    private let metrics: MetricsRegistry
    private let environment: [String: String]

    package init(
        hooks: [HookConfiguration], store: SnapshotStore, metrics: MetricsRegistry, environment: [String: String],
        logger: Logger
    ) {
        self.store = store
        self.logger = logger
        self.metrics = metrics
        self.environment = environment
        (commands, commandSink) = AsyncStream<Command>.makeStream()
        let entries = hooks.map { makeEntry($0) }
        state.withLock { $0.entries = entries }
        for entry in entries { commandSink.yield(.start(entry.runner)) }
    }

    private func makeEntry(_ hook: HookConfiguration) -> Entry {
        var definition = HookDefinition(
            name: hook.name, action: hook.action, timeout: hook.timeout, quiescence: hook.quiescence)
        definition.splay = hook.splay
        let box = Mutex<Entry?>(nil)
        let runner = makeRunner(definition) { report in
            // A webhook run that was never acknowledged was not delivered: its changes go
            // into the next run's diff again. (A command that ran and failed did get them.)
            guard report.failure == .request, let entry = box.withLock({ $0 }) else { return }
            let previous = entry.beforeRun.withLock { $0 }
            entry.baseline.withLock { $0 = previous }
        }
        let entry = Entry(configuration: hook, runner: runner)
        box.withLock { $0 = entry }
        return entry
    }

    private func makeRunner(
        _ definition: HookDefinition, then: @escaping @Sendable (HookRunReport) -> Void
    ) -> HookRunner {
        let metrics = metrics
        return HookRunner(hook: definition, environment: environment, logger: logger) { report in
            let name = report.hook
            metrics.increment(.hookRuns, labels: ["hook": name, "result": report.succeeded ? "success" : "failure"])
            if let failure = report.failure {
                metrics.increment(.hookFailures, labels: ["hook": name, "reason": failure.rawValue])
            }
            metrics.observe(.hookDuration, labels: ["hook": name], report.duration.secondsAsDouble)
            if report.requests > 1 {
                metrics.increment(.hookCoalesced, labels: ["hook": name], by: Double(report.requests - 1))
            }
            if report.attempts > 1 {
                metrics.increment(.hookRetries, labels: ["hook": name], by: Double(report.attempts - 1))
            }
            then(report)
        }
    }

    /// A runner for a hook fired by someone else (a template's `command` after its file
    /// changed), with the agent's environment and metrics. It runs once handed to
    /// ``adopt(_:)`` or ``replace(hooks:runners:deadline:)``.
    package func makeRunner(_ definition: HookDefinition) -> HookRunner {
        makeRunner(definition, then: { _ in })
    }

    /// Holds `runners` (from ``makeRunner(_:)``) in ``run()``, with the current hooks: the
    /// next ``replace(hooks:runners:deadline:)`` retires them.
    package func adopt(_ runners: [HookRunner]) {
        let accepted = state.withLock { state in
            guard !state.stopped else { return false }
            state.extras += runners
            return true
        }
        guard accepted else { return }
        for runner in runners { commandSink.yield(.start(runner)) }
    }

    /// Replaces the hooks and the adopted runners (SIGHUP: `runners` are the new templates'
    /// commands). New hooks start from the current snapshot; the old ones finish their
    /// current run (up to `deadline`, or the shutdown deadline if the agent stops first)
    /// under ``run()``'s task group.
    package func replace(hooks: [HookConfiguration], runners: [HookRunner] = [], deadline: Duration = .seconds(10)) {
        let current = store.current
        let fresh = hooks.map { hook in
            let entry = makeEntry(hook)
            entry.baseline.withLock { $0 = current }
            return entry
        }
        let old = state.withLock { state -> [HookRunner]? in
            guard !state.stopped else { return nil }
            let old = state.entries.map(\.runner) + state.extras
            state.entries = fresh
            state.extras = runners
            for runner in old { state.retiring[ObjectIdentifier(runner)] = runner }
            return old
        }
        guard let old else { return }
        for runner in fresh.map(\.runner) + runners { commandSink.yield(.start(runner)) }
        commandSink.yield(.retire(old, deadline: deadline))
    }

    /// Follows the store and holds every runner's task until ``shutdown(deadline:)`` has
    /// drained them all. Cancelling it stops following the store; runs in progress still
    /// end by their own timeouts. The first snapshot seen is every hook's baseline: hooks
    /// fire on changes, not on the state found at start.
    package func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.follow() }
            for await command in commands {
                switch command {
                case .start(let runner):
                    group.addTask { await runner.run() }
                case .retire(let runners, let deadline):
                    group.addTask {
                        await withDiscardingTaskGroup { retiring in
                            for runner in runners {
                                retiring.addTask {
                                    await runner.shutdown(deadline: deadline)
                                    _ = self.state.withLock {
                                        $0.retiring.removeValue(forKey: ObjectIdentifier(runner))
                                    }
                                }
                            }
                        }
                    }
                }
            }
            // Shutdown has drained every runner (or the task was cancelled): stop following.
            group.cancelAll()
        }
    }

    private func follow() async {
        var previous: PublishedSnapshot?
        for await published in store.updates() {
            guard let before = previous else {
                previous = published
                for entry in state.withLock({ $0.entries }) {
                    entry.baseline.withLock { if $0 == nil { $0 = published } }
                }
                continue
            }
            previous = published
            let changes = SnapshotDiff(from: before.snapshot, to: published.snapshot).firingChanges
            for entry in state.withLock({ $0.entries })
            where entry.configuration.fires(on: changes, labels: published.snapshot.labels) {
                entry.runner.fire(revision: published.revision) { [store] in
                    Self.request(for: entry, latest: store.current ?? published)
                }
            }
        }
    }

    /// Built when the run starts: the changes since the hook's last run, against the latest
    /// snapshot. Nil (no run) when the burst cancelled itself out or the latest labels no
    /// longer match the selector.
    private static func request(for entry: Entry, latest: PublishedSnapshot) -> HookRequest? {
        entry.baseline.withLock { baseline in
            let previous = baseline
            let changes = SnapshotDiff(from: previous?.snapshot ?? PodSnapshot(), to: latest.snapshot).firingChanges
            guard entry.configuration.fires(on: changes, labels: latest.snapshot.labels) else { return nil }
            entry.beforeRun.withLock { $0 = previous }
            baseline = latest
            let input = HookInput(
                revision: latest.revision, previousRevision: previous?.revision ?? 0, changes: changes,
                snapshot: latest.snapshot)
            return HookRequest(revision: latest.revision, payload: input.stdin(), environment: input.environment)
        }
    }

    /// Lets running hooks finish (up to `deadline`, then kills them), retired ones included,
    /// stops the runners, and lets ``run()`` return.
    package func shutdown(deadline: Duration = .seconds(10)) async {
        let runners = state.withLock { state in
            state.stopped = true
            return state.entries.map(\.runner) + state.extras + Array(state.retiring.values)
        }
        await withDiscardingTaskGroup { group in
            for runner in runners {
                group.addTask { await runner.shutdown(deadline: deadline) }
            }
        }
        commandSink.finish()
    }
}
