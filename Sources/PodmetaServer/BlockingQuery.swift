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

    /// - Parameter head: the request; only what its answer reads is kept (``answerHead(of:)``).
    init(head: HTTPRequestHead, route: Route, raw: Bool, store: SnapshotStore, eventLoop: any EventLoop) {
        self.head = BlockingQuery.answerHead(of: head)
        self.route = route
        self.raw = raw
        self.store = store
        self.eventLoop = eventLoop
    }

    /// The request head without the headers its answer never reads: the version, method and
    /// `Connection` (keep-alive) and `If-None-Match` (304) are what the answer depends on.
    /// The decoder's head keeps every header in storage with room to spare (about half a
    /// KiB), for as long as the query waits, and a thousand queries may wait.
    static func answerHead(of head: HTTPRequestHead) -> HTTPRequestHead {
        var headers = HTTPHeaders()
        for (name, value) in head.headers {
            let lowercased = name.lowercased()
            if lowercased == "connection" || lowercased == "if-none-match" { headers.add(name: name, value: value) }
        }
        return HTTPRequestHead(version: head.version, method: head.method, uri: head.uri, headers: headers)
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
