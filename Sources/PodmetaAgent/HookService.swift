import ServiceLifecycle

/// Runs a ``HookDispatcher`` as a service: it follows the store until graceful shutdown,
/// then lets running hooks finish (or kills them past the deadline).
public struct HookService: Service {
    public let dispatcher: HookDispatcher
    public var shutdownDeadline: Duration

    public init(dispatcher: HookDispatcher, shutdownDeadline: Duration = .seconds(10)) {
        self.dispatcher = dispatcher
        self.shutdownDeadline = shutdownDeadline
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await dispatcher.run()
        }
        await dispatcher.shutdown(deadline: shutdownDeadline)
    }
}
