import ServiceLifecycle

/// Runs a ``HookDispatcher`` as a service: it follows the store until graceful shutdown,
/// then lets running hooks finish (or kills them past the deadline), retired ones included.
package struct HookService: Service {
    package let dispatcher: HookDispatcher
    package var shutdownDeadline: Duration

    package init(dispatcher: HookDispatcher, shutdownDeadline: Duration = .seconds(10)) {
        self.dispatcher = dispatcher
        self.shutdownDeadline = shutdownDeadline
    }

    package func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask { await dispatcher.run() }
            // Cancellation (not graceful) also ends this wait: shut down with the deadline then too.
            try? await gracefulShutdown()
            await dispatcher.shutdown(deadline: shutdownDeadline)
        }
    }
}
