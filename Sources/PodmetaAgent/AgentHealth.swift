import Synchronization

/// What `/healthz` and `/readyz` report: whether the watcher loop is alive and whether a
/// complete snapshot has been published, plus the reason when the agent is degraded.
public final class AgentHealth: Sendable {
    public struct Status: Sendable, Equatable {
        /// The watcher loop runs.
        public var alive = false
        /// At least one complete snapshot has been published.
        public var ready = false
        /// Why the agent serves an older snapshot than the sources hold, if it does
        /// (volume gone, output not writable, ...).
        public var degradedReason: String?
    }

    private let state = Mutex(Status())

    public init() {}

    public var status: Status { state.withLock { $0 } }

    public func update(_ change: (inout Status) -> Void) {
        state.withLock { change(&$0) }
    }
}
