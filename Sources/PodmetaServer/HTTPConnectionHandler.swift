import NIOCore
import NIOHTTP1
import PodmetaCore
import PodmetaState
import PodmetaSystem

/// Answers the requests of one connection. ``HTTPConnectionStateMachine`` decides what
/// happens and when; this handler turns channel events into its events and its answers
/// into writes. A blocking query and a watch stream are objects of their own
/// (``BlockingQuery``, ``WatchStream``) that own their timers and store waiters.
///
/// The pipeline of a connection, from the socket:
/// `IdleStateHandler` (idle close) → ``RequestHeadLimitHandler`` (431, 408) → NIOHTTP1's
/// decoder and encoder → this handler.
final class HTTPConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// Whether the connection is served or only told why not.
    enum Admission {
        case accepted
        /// Over the connection cap: health and readiness are still answered (probes must
        /// never fail because of other clients), anything else gets `refusal`; either way
        /// the connection closes after one answer.
        case probesOnly(refusal: RequestError)
        /// Every request gets this error, then the connection closes.
        case refused(HTTPResponseStatus, String)

        var answersOnce: Bool {
            if case .accepted = self { return false }
            return true
        }
    }

    /// The answer in progress beyond a single write.
    private enum Active {
        case blockingQuery(BlockingQuery)
        case watch(WatchStream)
    }

    private let shared: ServerShared
    private let admission: Admission
    private let scope: RouteScope
    private var machine = HTTPConnectionStateMachine()
    private var active: Active?
    private var context: ChannelHandlerContext?
    /// The completion of the last answer's final write, to close after it.
    private var lastWrite: EventLoopFuture<Void>?

    init(shared: ServerShared, admission: Admission, scope: RouteScope = .all) {
        self.shared = shared
        self.admission = admission
        self.scope = scope
    }

    // MARK: - Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        endActive()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        machine.channelInactive()
        endActive()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            if let error = HTTPConnectionHandler.refusal(of: head, maxHeaderBytes: shared.configuration.maxHeaderBytes)
            {
                if machine.failed(error, head: head) { processQueue() }
            } else {
                machine.receivedHead(head)
            }
        case .body:
            break
        case .end:
            if machine.receivedEnd() { processQueue() }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parseError = error as? HTTPParserError else {
            context.close(promise: nil)
            return
        }
        let failure =
            parseError == .headerOverflow
            ? RequestError(.requestHeaderFieldsTooLarge, "the request line and headers are too large")
            : RequestError(.badRequest, "malformed HTTP request (\(parseError))")
        if machine.failed(failure, head: nil) { processQueue() }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case let limit as RequestHeadLimitEvent:
            headLimitBreached(limit)
        case let idle as IdleStateHandler.IdleStateEvent where idle == .all:
            // Closing at once even when the last answer is unflushed: a client that has not
            // read it in the whole idle time is gone or stalled.
            if machine.idleTimeout() { context.close(promise: nil) }
        case is ChannelShouldQuiesceEvent:
            quiesce()
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// Reading pauses while requests queue up or while answers pile up unsent (a client
    /// that pipelines requests but does not read would otherwise grow our write buffer).
    func read(context: ChannelHandlerContext) {
        if machine.readRequested(writable: context.channel.isWritable) { context.read() }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { processQueue() }
        context.fireChannelWritabilityChanged()
    }

    private func headLimitBreached(_ limit: RequestHeadLimitEvent) {
        switch limit {
        case .tooLarge(let bytes):
            let error = RequestError(.requestHeaderFieldsTooLarge, "the request line and headers exceed \(bytes) bytes")
            if machine.failed(error, head: nil) { processQueue() }
        case .timedOut:
            switch machine.headTimedOut() {
            case .none: break
            case .answer: processQueue()
            case .close: context?.close(promise: nil)
            }
        }
    }

    // MARK: - Dispatch

    private func processQueue() {
        guard let context else { return }
        while let work = machine.next(writable: context.channel.isWritable) {
            start(work)
        }
        if machine.resumeReading(writable: context.channel.isWritable) { context.read() }
    }

    private func start(_ work: HTTPConnectionStateMachine.Work) {
        switch work {
        case .failure(let error, let head):
            respond(.error(error), to: head, route: nil, revision: currentRevision, close: true)
        case .request(let head):
            var route: Route?
            do throws(RequestError) {
                try dispatch(head, route: &route)
            } catch {
                respond(.error(error), to: head, route: route, revision: currentRevision, close: false)
            }
        }
    }

    /// Answers or starts answering the request `head`; `matched` is set as soon as the path
    /// is known, so errors about parameters are counted under their route.
    private func dispatch(_ head: HTTPRequestHead, route matched: inout Route?) throws(RequestError) {
        if case .refused(let status, let message) = admission {
            respond(.error(status, message), to: head, route: nil, revision: currentRevision, close: true)
            return
        }
        guard head.method == .GET || head.method == .HEAD else {
            throw HTTPConnectionHandler.methodNotAllowed(head)
        }
        let target = try RequestTarget(uri: head.uri)
        guard let route = Route(path: target.path), scope.allows(route) else {
            if case .probesOnly(let refusal) = admission { throw refusal }
            throw RequestError(.notFound, "no such path: \(target.path)")
        }
        matched = route
        if case .probesOnly(let refusal) = admission {
            guard route == .health || route == .readiness else { throw refusal }
            respond(
                shared.responder.serviceAnswer(route), to: head, route: route, revision: currentRevision, close: true)
            return
        }

        switch route {
        case .snapshot, .section, .entry:
            let configuration = shared.configuration
            let options = try QueryOptions(
                target: target, defaultWait: configuration.defaultWait, maxWait: configuration.maxWait)
            let raw = options.raw || RouteResponder.prefersText(head.headers)
            let current = shared.store.current
            let revision = current?.revision ?? 0
            if let asked = options.revision, options.wait > .zero {
                // A revision above the current one was seen before the agent restarted
                // (revisions restart with it): answer at once, as Consul does when its
                // index goes backwards. Without any snapshot yet, wait for the first.
                let after = asked > revision ? 0 : asked
                if after >= revision {
                    startBlockingQuery(head, route: route, raw: raw, after: after, wait: options.wait)
                    return
                }
            }
            respondWithSnapshot(head, route: route, raw: raw, published: current)
        case .watch:
            let configuration = shared.configuration
            let options = try QueryOptions(
                target: target, defaultWait: configuration.defaultWait, maxWait: configuration.maxWait)
            var after = options.revision ?? 0
            if options.revision == nil, let lastID = head.headers.first(name: "last-event-id"), !lastID.isEmpty {
                guard let revision = UInt64(lastID) else {
                    throw RequestError(.badRequest, "Last-Event-ID must be a revision number, got \"\(lastID)\"")
                }
                after = revision
            }
            // As for blocking queries: a revision from before a restart starts over.
            if after > currentRevision { after = 0 }
            startWatch(head, after: after)
        case .health, .readiness, .metrics:
            respond(
                shared.responder.serviceAnswer(route), to: head, route: route, revision: currentRevision, close: false)
        }
    }

    private var currentRevision: UInt64 { shared.store.current?.revision ?? 0 }

    private func respondWithSnapshot(_ head: HTTPRequestHead, route: Route, raw: Bool, published: PublishedSnapshot?) {
        var answer = shared.responder.snapshotAnswer(route, published, raw: raw)
        let revision = published?.revision ?? 0
        if answer.status == .ok, RouteResponder.ifNoneMatch(head.headers, matches: "\"\(revision)\"") {
            answer = Answer(status: .notModified, contentType: answer.contentType, body: ByteBuffer())
        }
        respond(answer, to: head, route: route, revision: revision, close: false)
    }

    // MARK: - Writing complete answers

    private func respond(_ answer: Answer, to head: HTTPRequestHead?, route: Route?, revision: UInt64, close: Bool) {
        guard let context else { return }
        let version = head?.version ?? .http1_1
        let keepAlive = machine.keepAlive(head, close: close || admission.answersOnce)
        var headers = HTTPHeaders()
        if answer.status != .notModified {
            headers.add(name: "content-type", value: answer.contentType)
            headers.add(name: "content-length", value: String(answer.body.readableBytes))
        }
        headers.add(name: "x-podmeta-revision", value: String(revision))
        headers.add(name: "etag", value: "\"\(revision)\"")
        for (name, value) in answer.headers { headers.add(name: name, value: value) }
        if !keepAlive {
            headers.add(name: "connection", value: "close")
        } else if version.minor == 0 {
            headers.add(name: "connection", value: "keep-alive")
        }
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: version, status: answer.status, headers: headers))),
            promise: nil)
        if head?.method != .HEAD, answer.status != .notModified, answer.body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(answer.body))), promise: nil)
        }
        lastWrite = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        shared.metrics.countRequest(route: route?.metricLabel ?? "other", status: answer.status.code)
        if machine.answered(keepAlive: keepAlive) { closeAfterLastWrite() }
    }

    private func closeAfterLastWrite() {
        guard let context else { return }
        guard let lastWrite else {
            context.close(promise: nil)
            return
        }
        lastWrite.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    // MARK: - Long answers

    private func startBlockingQuery(_ head: HTTPRequestHead, route: Route, raw: Bool, after: UInt64, wait: Duration) {
        guard let context else { return }
        let query = BlockingQuery(head: head, route: route, raw: raw, store: shared.store, eventLoop: context.eventLoop)
        machine.longAnswerStarted(.blockingQuery)
        active = .blockingQuery(query)
        shared.metrics.blockingQueryCount.add(1, ordering: .relaxed)
        query.start(after: after, wait: wait.timeAmount) { [self] in
            endActive()
            respondWithSnapshot(query.head, route: query.route, raw: query.raw, published: shared.store.current)
            processQueue()
        }
    }

    private func startWatch(_ head: HTTPRequestHead, after: UInt64) {
        guard let context else { return }
        let format: WatchStream.Format =
            head.headers[canonicalForm: "accept"].contains { $0.hasPrefix("text/event-stream") }
            ? .serverSentEvents : .ndjson
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: format == .ndjson ? "application/x-ndjson" : "text/event-stream")
        headers.add(name: "cache-control", value: "no-cache")
        headers.add(name: "x-podmeta-revision", value: String(currentRevision))
        headers.add(name: "etag", value: "\"\(currentRevision)\"")
        if head.version.minor == 0 || head.method == .HEAD {
            headers.add(name: "connection", value: "close")
        }
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))), promise: nil
        )
        shared.metrics.countRequest(route: Route.watch.metricLabel, status: 200)
        if head.method == .HEAD {
            lastWrite = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            if machine.answered(keepAlive: false) { closeAfterLastWrite() }
            return
        }
        context.flush()
        let configuration = shared.configuration
        let sink = WatchStream.Sink(
            write: { [self] buffer in
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(buffer))))
            },
            cutOff: { [self] reason in
                if reason == .stalled { shared.metrics.countRejection(reason: "stalled") }
                self.context?.close(promise: nil)
            })
        let stream = WatchStream(
            format: format, after: after, store: shared.store, renderings: shared.renderings,
            eventLoop: context.eventLoop, heartbeatInterval: configuration.heartbeatInterval.timeAmount,
            stallTimeout: configuration.stalledWriteTimeout.timeAmount, sink: sink)
        machine.longAnswerStarted(.watch)
        active = .watch(stream)
        shared.metrics.watchStreamCount.add(1, ordering: .relaxed)
        stream.start()
    }

    /// Releases what the long answer holds (waiter, timers, gauges) without answering.
    private func endActive() {
        switch active {
        case .blockingQuery(let query):
            query.cancel()
            shared.metrics.blockingQueryCount.subtract(1, ordering: .relaxed)
        case .watch(let stream):
            stream.end()
            shared.metrics.watchStreamCount.subtract(1, ordering: .relaxed)
        case nil:
            return
        }
        active = nil
        machine.longAnswerEnded()
    }

    /// Graceful shutdown: a blocking query is answered now with the current state, a
    /// watch stream ends, an idle connection closes.
    private func quiesce() {
        guard let context else { return }
        switch machine.quiesce() {
        case .none:
            break
        case .answerBlockingQueryNow:
            if case .blockingQuery(let query) = active { query.answerNow() }
        case .endWatch:
            endActive()
            lastWrite = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            closeAfterLastWrite()
        case .close:
            closeAfterLastWrite()
        }
    }

    // MARK: - Request inspection

    /// Why a request is refused as soon as its head is read, or nil. The method comes
    /// first: a POST with a body is a wrong method (405), not a too large request.
    static func refusal(of head: HTTPRequestHead, maxHeaderBytes: Int) -> RequestError? {
        if headSize(head) > maxHeaderBytes {
            return RequestError(
                .requestHeaderFieldsTooLarge, "the request line and headers exceed \(maxHeaderBytes) bytes")
        }
        guard declaresBody(head) else { return nil }
        if head.method != .GET, head.method != .HEAD { return methodNotAllowed(head) }
        return RequestError(.payloadTooLarge, "requests to this server carry no body")
    }

    static func methodNotAllowed(_ head: HTTPRequestHead) -> RequestError {
        RequestError(.methodNotAllowed, "method \(head.method.rawValue) is not allowed; use GET or HEAD")
    }

    /// The bytes of the request line and headers as sent (`NAME: VALUE\r\n` each).
    static func headSize(_ head: HTTPRequestHead) -> Int {
        var size = head.method.rawValue.utf8.count + 1 + head.uri.utf8.count + 1 + 8 + 2 + 2
        for (name, value) in head.headers { size += name.utf8.count + 2 + value.utf8.count + 2 }
        return size
    }

    /// Whether the request announces a body (any Transfer-Encoding, or a non-zero length).
    static func declaresBody(_ head: HTTPRequestHead) -> Bool {
        if head.headers.contains(name: "transfer-encoding") { return true }
        return head.headers["content-length"].contains { Substring($0).trimmingSpaces() != "0" }
    }
}

extension Duration {
    /// The duration as NIO's `TimeAmount`.
    var timeAmount: TimeAmount { .nanoseconds(saturatingNanoseconds) }
}
