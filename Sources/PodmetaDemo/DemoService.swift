import ServiceLifecycle
import Synchronization

/// Runs a ``DemoSession`` as the only service of a ServiceGroup, which turns SIGINT and
/// SIGTERM into a graceful shutdown the session notices between (and during) its steps.
package final class DemoService: Service, Sendable {
    private let session: DemoSession
    private let result = Mutex<DemoOutcome?>(nil)

    package init(session: DemoSession) {
        self.session = session
    }

    /// The session's outcome, once `run()` has returned.
    package var outcome: DemoOutcome? { result.withLock { $0 } }

    package func run() async throws {
        let outcome = await session.run()
        result.withLock { $0 = outcome }
    }
}
