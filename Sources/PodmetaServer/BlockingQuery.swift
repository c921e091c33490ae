import NIOCore
import NIOHTTP1
import PodmetaState

/// A request that waits for a revision above the one it names (`?revision=N&wait=...`), as
/// Consul's blocking queries do: it is answered at the first publish past `N` or when its
/// wait ends, with whatever is current then.
///
/// It owns its timer and its snapshot-store waiter and releases both however it ends
/// (answered, cancelled because the client left, or cut short at shutdown); a callback
/// that arrives after that finds it finished and does nothing. Lives on one event loop.
final class BlockingQuery {
    let head: HTTPRequestHead
    let route: Route
    let raw: Bool

    private let store: SnapshotStore
    private let eventLoop: any EventLoop
    private var timer: Scheduled<Void>?
    private var waiter: SnapshotStore.WaiterID?
    /// Called once, when the query should be answered; nil once it has ended.
    private var onAnswer: (() -> Void)?

    init(head: HTTPRequestHead, route: Route, raw: Bool, store: SnapshotStore, eventLoop: any EventLoop) {
        self.head = head
        self.route = route
        self.raw = raw
        self.store = store
        self.eventLoop = eventLoop
    }

    /// Starts waiting for a revision above `after`, at most `wait`; `onAnswer` runs on the
    /// event loop when it is time to answer.
    func start(after: UInt64, wait: TimeAmount, onAnswer: @escaping () -> Void) {
        eventLoop.assertInEventLoop()
        self.onAnswer = onAnswer
        timer = eventLoop.assumeIsolated().scheduleTask(in: wait) { [self] in
            timer = nil
            finish()
        }
        let loop = eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        // The store may call back at once (on this thread) or from the publisher's thread:
        // either way the answer is given later on the loop, after `waiter` is set.
        waiter = store.onRevision(after: after) { _ in
            loop.execute {
                bound.value.waiter = nil
                bound.value.finish()
            }
        }
    }

    /// Answers now with the current state (graceful shutdown).
    func answerNow() {
        finish()
    }

    /// Ends the query without answering (the client left); releases the timer and waiter.
    func cancel() {
        onAnswer = nil
        release()
    }

    private func finish() {
        guard let onAnswer else { return }
        self.onAnswer = nil
        release()
        onAnswer()
    }

    private func release() {
        timer?.cancel()
        timer = nil
        if let waiter {
            store.cancel(waiter)
            self.waiter = nil
        }
    }
}
