import Synchronization

/// What `/healthz` and `/readyz` report: whether the watcher loop is alive and whether every
/// output holds a complete snapshot, plus the reason when the agent is degraded.
package final class AgentHealth: Sendable {
    package struct Status: Sendable, Equatable {
        /// The watcher loop runs.
        package var alive = false
        /// Every configured output (JSON file, env file, templates) has been written with a
        /// published snapshot. It stays true afterwards: a later failed write keeps the
        /// previous file, so the agent is degraded, not unready.
        package var ready = false
        /// Why the agent serves an older snapshot than the sources hold, if it does
        /// (volume gone, output not writable, ...).
        package var degradedReason: String?
    }

    private let state = Mutex(Status())

    package init() {}

    package var status: Status { state.withLock { $0 } }

    package func update(_ change: (inout Status) -> Void) {
        state.withLock { change(&$0) }
    }
}
