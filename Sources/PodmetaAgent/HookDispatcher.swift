import Logging
import PodmetaCore
import PodmetaProcess
import PodmetaState
import Synchronization

/// Fires the configured hooks on published changes of labels and annotations, off the
/// publishing path: it follows the store's updates on its own task, and each hook runs in
/// its own ``HookRunner`` (never concurrently with itself, bursts coalesced).
///
/// A run describes what changed since the last run of the same hook that started, so a
/// run that stands for a coalesced burst still reports every change in it.
package final class HookDispatcher: Sendable {
    private final class Entry: Sendable {
        let configuration: HookConfiguration
        let runner: HookRunner
        /// The snapshot the hook's last started run saw (its baseline for the next diff).
        let baseline = Mutex<PublishedSnapshot?>(nil)

        init(configuration: HookConfiguration, runner: HookRunner) {
            self.configuration = configuration
            self.runner = runner
        }
    }

    private let entries: Mutex<[Entry]>
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
        entries = Mutex(hooks.map { Self.makeEntry($0, environment: environment, metrics: metrics, logger: logger) })
    }

    private static func makeEntry(
        _ hook: HookConfiguration, environment: [String: String], metrics: MetricsRegistry, logger: Logger
    ) -> Entry {
        let definition = HookDefinition(
            name: hook.name, command: hook.command, timeout: hook.timeout, quiescence: hook.quiescence)
        let runner = HookRunner(hook: definition, environment: environment, logger: logger) { report in
            let name = report.hook
            metrics.increment(.hookRuns, labels: ["hook": name, "result": report.succeeded ? "success" : "failure"])
            if let failure = report.failure {
                metrics.increment(.hookFailures, labels: ["hook": name, "reason": failure.rawValue])
            }
            let (seconds, attoseconds) = report.duration.components
            metrics.observe(.hookDuration, labels: ["hook": name], Double(seconds) + Double(attoseconds) / 1e18)
            if report.requests > 1 {
                metrics.increment(.hookCoalesced, labels: ["hook": name], by: Double(report.requests - 1))
            }
        }
        return Entry(configuration: hook, runner: runner)
    }

    /// Replaces the hooks (SIGHUP). New hooks start from the current snapshot; the old
    /// ones finish their current run (up to `deadline`) in the background.
    package func replace(hooks: [HookConfiguration], deadline: Duration = .seconds(10)) {
        let current = store.current
        let fresh = hooks.map { hook in
            let entry = Self.makeEntry(hook, environment: environment, metrics: metrics, logger: logger)
            entry.baseline.withLock { $0 = current }
            return entry
        }
        let old = entries.withLock { entries in
            defer { entries = fresh }
            return entries
        }
        Task {
            for entry in old { await entry.runner.shutdown(deadline: deadline) }
        }
    }

    /// Follows the store until cancelled. The first snapshot seen is every hook's baseline:
    /// hooks fire on changes, not on the state found at start.
    package func run() async {
        var previous: PublishedSnapshot?
        for await published in store.updates() {
            guard let before = previous else {
                previous = published
                for entry in entries.withLock({ $0 }) {
                    entry.baseline.withLock { if $0 == nil { $0 = published } }
                }
                continue
            }
            previous = published
            let changes = SnapshotDiff(from: before.snapshot, to: published.snapshot).firingChanges
            for entry in entries.withLock({ $0 })
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
            baseline = latest
            let input = HookInput(
                revision: latest.revision, previousRevision: previous?.revision ?? 0, changes: changes,
                snapshot: latest.snapshot)
            return HookRequest(revision: latest.revision, payload: input.stdin(), environment: input.environment)
        }
    }

    /// Lets running hooks finish (up to `deadline`, then kills them) and stops the runners.
    package func shutdown(deadline: Duration = .seconds(10)) async {
        await withTaskGroup(of: Void.self) { group in
            for entry in entries.withLock({ $0 }) {
                group.addTask { await entry.runner.shutdown(deadline: deadline) }
            }
        }
    }
}
