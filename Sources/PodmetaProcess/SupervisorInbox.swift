import Synchronization

/// Requests from the async side to the supervisor's thread.
enum SupervisorCommand: Sendable {
    case change([String: String])
    case stop
}

final class SupervisorInbox: Sendable {
    private let queue = Mutex<[SupervisorCommand]>([])
    private let relay: SignalRelay

    init(relay: SignalRelay) { self.relay = relay }

    func send(_ command: SupervisorCommand) {
        queue.withLock { $0.append(command) }
        relay.wake()
    }

    func take() -> [SupervisorCommand] {
        queue.withLock { queue in
            defer { queue = [] }
            return queue
        }
    }
}
