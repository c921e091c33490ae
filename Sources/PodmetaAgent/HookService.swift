import ServiceLifecycle

/// Runs a ``HookDispatcher`` as a service: it follows the store until graceful shutdown,
/// then lets running hooks finish (or kills them past the deadline).
package struct HookService: Service {
    package let dispatcher: HookDispatcher
    package var shutdownDeadline: Duration

    package init(dispatcher: HookDispatcher, shutdownDeadline: Duration = .seconds(10)) {
        self.dispatcher = dispatcher
        self.shutdownDeadline = shutdownDeadline
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown {
            await dispatcher.run()
        }
        await dispatcher.shutdown(deadline: shutdownDeadline)
    }
}
