import NIOCore
import NIOHTTP1

/// The life of one connection: which requests are read, in which order they are answered,
/// when reading pauses and when the connection closes. Pure: every event is a `mutating`
/// function whose result tells ``HTTPConnectionHandler`` what to do.
///
/// Requests are answered one at a time, in order. A complete answer is written at once; a
/// blocking query or a watch stream is a *long answer* that holds the queue until it ends.
/// Pipelined requests queue behind it, and reading pauses while ``maxQueued`` wait or while
/// the channel is not writable (a client that pipelines but never reads cannot grow the
/// write buffer). Otherwise reading continues during a long answer, so a client that hangs
/// up is noticed at once.
struct HTTPConnectionStateMachine {
    /// One thing to answer, in arrival order.
    enum Work: Equatable {
        case request(HTTPRequestHead)
        /// Answered, then the connection closes: the input can no longer be trusted.
        case failure(RequestError, HTTPRequestHead?)
    }

    /// An answer that outlives the event that started it.
    enum LongAnswer: Equatable {
        case blockingQuery
        case watch
    }

    enum State: Equatable {
        /// Reading requests and answering them.
        case open
        /// A failure is queued: no more requests are read; the queue is answered, and the
        /// failure's answer closes the connection.
        case failed
        /// Graceful shutdown: nothing more is read or started; the long answer in progress
        /// ends now and the connection closes.
        case quiescing
        /// The last answer is written; the channel closes once it is flushed.
        case closing
        case closed
    }

    /// What to do after ``quiesce()``.
    enum QuiesceAction: Equatable {
        case none
        /// Answer the blocking query now, with the current state, and close.
        case answerBlockingQueryNow
        /// End the watch stream (its terminal chunk), then close.
        case endWatch
        /// Nothing is in progress: close after the last answer is flushed.
        case close
    }

    /// What to do when the request head timer of ``RequestHeadLimitHandler`` fires.
    enum HeadTimeoutAction: Equatable {
        case none
        /// Nothing else is being answered: answer 408 (the queued failure) and close.
        case answer
        /// An answer is in progress: a 408 would wait behind it; close at once.
        case close
    }

    /// Pipelined requests beyond this many pause reading.
    let maxQueued: Int

    private(set) var state = State.open
    private(set) var longAnswer: LongAnswer?
    private var partial: HTTPRequestHead?
    /// At most `maxQueued` + 1 entries. An array rather than a CircularBuffer (16 entries,
    /// about 1 KiB, allocated with every connection): it holds no storage while empty, and
    /// most connections (an idle keep-alive, a blocking query) wait with it empty.
    private var queue: [Work] = []
    private var readPending = false

    init(maxQueued: Int = 4) {
        self.maxQueued = maxQueued
    }

    /// Whether nothing is read, queued or answered: the idle timeout may close the connection.
    var isIdle: Bool {
        longAnswer == nil && queue.isEmpty && partial == nil
    }

    // MARK: - Input

    /// A request head without a body; it is queued when its end arrives.
    mutating func receivedHead(_ head: HTTPRequestHead) {
        guard state == .open else { return }
        partial = head
    }

    /// The end of a request; returns whether there is new work to start.
    mutating func receivedEnd() -> Bool {
        guard state == .open, let head = partial else { return false }
        partial = nil
        queue.append(.request(head))
        return true
    }

    /// A request that cannot be served: answered in turn, then the connection closes.
    /// Returns whether there is new work to start.
    mutating func failed(_ error: RequestError, head: HTTPRequestHead?) -> Bool {
        guard state == .open else { return false }
        queue.append(.failure(error, head ?? partial))
        partial = nil
        state = .failed
        return true
    }

    /// The request head did not arrive in time.
    mutating func headTimedOut() -> HeadTimeoutAction {
        guard state == .open else { return .none }
        if longAnswer == nil, queue.isEmpty {
            _ = failed(RequestError(.requestTimeout, "the request headers did not arrive in time"), head: nil)
            return .answer
        }
        state = .closing
        return .close
    }

    // MARK: - Answering

    /// The next work to start, if the previous answer is done and the channel can take more.
    mutating func next(writable: Bool) -> Work? {
        guard state == .open || state == .failed, longAnswer == nil, writable, !queue.isEmpty else { return nil }
        let work = queue.removeFirst()
        if queue.isEmpty { queue = [] }
        return work
    }

    /// Whether the answer to `head` keeps the connection open: the client asks for it, the
    /// answer does not `close` it, and the connection is neither failing nor shutting down.
    func keepAlive(_ head: HTTPRequestHead?, close: Bool) -> Bool {
        guard !close, state == .open || state == .failed, let head else { return false }
        return head.isKeepAlive
    }

    /// A complete answer was written; `keepAlive: false` closes after it is flushed.
    /// Returns whether to close.
    mutating func answered(keepAlive: Bool) -> Bool {
        guard state != .closed else { return false }
        if !keepAlive {
            state = .closing
            return true
        }
        return false
    }

    mutating func longAnswerStarted(_ kind: LongAnswer) {
        precondition(longAnswer == nil, "a second long answer started")
        longAnswer = kind
    }

    /// The long answer ended (the blocking query was answered, or the stream is over).
    mutating func longAnswerEnded() {
        longAnswer = nil
    }

    // MARK: - Reading

    /// `read()` from the pipeline: whether to pass it on now (otherwise it is held until
    /// ``resumeReading(writable:)`` says so).
    mutating func readRequested(writable: Bool) -> Bool {
        if queue.count >= maxQueued || !writable {
            readPending = true
            return false
        }
        return true
    }

    /// Whether a held read may go on now.
    mutating func resumeReading(writable: Bool) -> Bool {
        guard readPending, queue.count < maxQueued, writable else { return false }
        readPending = false
        return true
    }

    // MARK: - Ending

    /// The idle timeout passed: returns whether to close (only when nothing is in progress).
    mutating func idleTimeout() -> Bool {
        guard state == .open || state == .failed, isIdle else { return false }
        state = .closing
        return true
    }

    /// Graceful shutdown.
    mutating func quiesce() -> QuiesceAction {
        guard state == .open || state == .failed else { return .none }
        queue.removeAll()
        partial = nil
        switch longAnswer {
        case .blockingQuery:
            state = .quiescing
            return .answerBlockingQueryNow
        case .watch:
            state = .closing
            return .endWatch
        case nil:
            state = .closing
            return .close
        }
    }

    mutating func channelInactive() {
        state = .closed
        queue.removeAll()
        partial = nil
    }
}
