import NIOCore

/// What ``RequestHeadLimitHandler`` reports to the handlers after the HTTP decoder.
enum RequestHeadLimitEvent: Equatable {
    /// The request line and headers exceed the byte limit (431).
    case tooLarge(limit: Int)
    /// They did not arrive within the time limit, counted from their first byte (408).
    case timedOut
}

/// Enforces the request-head limits in front of the HTTP decoder: at most `maxBytes` for
/// the request line and headers, and `timeout` from their first byte to their last (the
/// slowloris limit). It finds the end of each head itself (the first empty line after a
/// non-empty one: requests here carry no body), so it needs nothing from the decoder.
///
/// A breach is reported once, as a ``RequestHeadLimitEvent`` sent up the pipeline in order
/// with the requests before it; every byte after it is dropped, so the decoder never parses
/// an oversized or late head. Answering is the connection handler's business.
final class RequestHeadLimitHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private enum State {
        /// Between heads: the next byte starts one.
        case idle
        /// Inside a head that started at `started`; `lineLength` counts the current line's
        /// bytes other than CR, `sawLine` whether a non-empty line has ended.
        case head(bytes: Int, started: NIODeadline, lineLength: Int, sawLine: Bool)
        /// A limit was breached: everything is dropped.
        case breached
    }

    private let maxBytes: Int
    private let timeout: TimeAmount
    private var state = State.idle
    private var timer: Scheduled<Void>?

    init(maxBytes: Int, timeout: TimeAmount) {
        self.maxBytes = maxBytes
        self.timeout = timeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        if case .breached = state { return }
        let now = context.eventLoop.now
        // Where the head in progress starts inside this buffer (0 when it began earlier).
        var headStart = buffer.readerIndex
        var breachAt: Int?
        var completed = false
        buffer.withUnsafeReadableBytes { bytes in
            for (offset, byte) in bytes.enumerated() {
                switch state {
                case .breached:
                    return
                case .idle:
                    headStart = buffer.readerIndex + offset
                    state = .head(bytes: 0, started: now, lineLength: 0, sawLine: false)
                case .head:
                    break
                }
                guard case .head(var count, let started, var lineLength, var sawLine) = state else { return }
                count += 1
                if count > maxBytes {
                    state = .breached
                    breachAt = headStart
                    return
                }
                switch byte {
                case UInt8(ascii: "\n"):
                    if lineLength == 0, sawLine {
                        state = .idle
                        completed = true
                        continue
                    }
                    sawLine = sawLine || lineLength > 0
                    lineLength = 0
                case UInt8(ascii: "\r"):
                    break
                default:
                    lineLength += 1
                }
                state = .head(bytes: count, started: started, lineLength: lineLength, sawLine: sawLine)
            }
        }
        if let breachAt {
            cancelTimer()
            if breachAt > buffer.readerIndex {
                // The complete requests before the oversized head still go through, first.
                context.fireChannelRead(
                    wrapInboundOut(buffer.getSlice(at: buffer.readerIndex, length: breachAt - buffer.readerIndex)!))
            }
            context.fireUserInboundEventTriggered(RequestHeadLimitEvent.tooLarge(limit: maxBytes))
            return
        }
        context.fireChannelRead(data)
        if completed { cancelTimer() }
        switch state {
        case .idle, .breached:
            break
        case .head(_, let started, _, _):
            // One timer per head, armed after the read rather than per byte.
            if timer == nil {
                timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: started + timeout) { [self] in
                    timer = nil
                    guard case .head = state else { return }
                    state = .breached
                    context.fireUserInboundEventTriggered(RequestHeadLimitEvent.timedOut)
                }
            }
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        context.fireChannelInactive()
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
    }
}
