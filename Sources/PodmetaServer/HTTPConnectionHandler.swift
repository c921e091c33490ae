import NIOCore
import NIOHTTP1
import PodmetaCore
import PodmetaState

/// One connection: reads requests from NIOHTTP1's decoder, answers them in order, and
/// enforces the connection's limits (header size and time, idle time, no bodies).
///
/// Requests are answered one at a time; pipelined ones queue (reading pauses when a few
/// are queued). Reading otherwise continues while an answer is pending, so a client that
/// hangs up during a blocking query is noticed at once and its waiter is cancelled.
///
/// Everything here runs on the channel's event loop; callbacks from the snapshot store
/// hop onto it through `NIOLoopBound`.
final class HTTPConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// Whether the connection is served or only told why not.
    enum Admission {
        case accepted
        /// Every request gets this error, then the connection closes.
        case refused(HTTPResponseStatus, String)
    }

    private struct Request {
        var head: HTTPRequestHead
    }

    private enum Work {
        case request(Request)
        /// Answered, then the connection closes: the input can no longer be trusted.
        case failure(RequestError, HTTPRequestHead?)
    }

    private struct Blocking {
        var generation: UInt64
        var request: Request
        var route: Route
        var raw: Bool
        var waiter: SnapshotStore.WaiterID?
        var timer: Scheduled<Void>?
    }

    private enum WatchFormat {
        case ndjson
        case serverSentEvents
    }

    private struct Watch {
        var generation: UInt64
        var format: WatchFormat
        var lastSent: UInt64
        var waiter: SnapshotStore.WaiterID?
        var heartbeat: Scheduled<Void>?
        var lastWrite: NIODeadline
        var writing = false
    }

    private enum Active {
        case blocking(Blocking)
        case watch(Watch)
    }

    /// Pipelined requests beyond this many pause reading.
    private static let maxQueued = 4

    private let shared: ServerShared
    private let admission: Admission
    private var context: ChannelHandlerContext?

    // Reading.
    private var awaitingHead = true
    private var headBytes = 0
    private var headStarted: NIODeadline?
    private var headerTimer: Scheduled<Void>?
    private var idleTimer: Scheduled<Void>?
    private var lastActivity = NIODeadline.now()
    private var partial: Request?
    private var inputFinished = false
    private var readPending = false

    // Answering.
    private var queue: [Work] = []
    private var active: Active?
    private var generation: UInt64 = 0
    private var closing = false
    private var quiescing = false
    private var lastResponse: EventLoopFuture<Void>?

    init(shared: ServerShared, admission: Admission) {
        self.shared = shared
        self.admission = admission
    }

    // MARK: - Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { scheduleIdleTimer() }
    }

    func channelActive(context: ChannelHandlerContext) {
        scheduleIdleTimer()
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        closing = true
        queue.removeAll()
        headerTimer?.cancel()
        idleTimer?.cancel()
        endActive()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        endActive()
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !inputFinished, !closing else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            awaitingHead = false
            headBytes = 0
            headStarted = nil
            headerTimer?.cancel()
            headerTimer = nil
            let limit = shared.configuration.maxHeaderBytes
            if HTTPConnectionHandler.headSize(head) > limit {
                enqueue(
                    .failure(
                        RequestError(
                            .requestHeaderFieldsTooLarge, "the request line and headers exceed \(limit) bytes"), head))
            } else if HTTPConnectionHandler.declaresBody(head) {
                enqueue(.failure(RequestError(.payloadTooLarge, "requests to this server carry no body"), head))
            } else {
                partial = Request(head: head)
            }
        case .body:
            break
        case .end:
            awaitingHead = true
            if let request = partial {
                partial = nil
                enqueue(.request(request))
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parseError = error as? HTTPParserError else {
            context.close(promise: nil)
            return
        }
        guard !inputFinished, !closing else { return }
        let failure =
            parseError == .headerOverflow
            ? RequestError(.requestHeaderFieldsTooLarge, "the request line and headers are too large")
            : RequestError(.badRequest, "malformed HTTP request (\(parseError))")
        enqueue(.failure(failure, partial?.head))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            quiesce()
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// Reading pauses while requests queue up or while answers pile up unsent (a client
    /// that pipelines requests but does not read would otherwise grow our write buffer).
    func read(context: ChannelHandlerContext) {
        if queue.count >= HTTPConnectionHandler.maxQueued || !context.channel.isWritable {
            readPending = true
        } else {
            context.read()
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { processQueue() }
        context.fireChannelWritabilityChanged()
    }

    private func resumeReading() {
        guard readPending, let context, queue.count < HTTPConnectionHandler.maxQueued, context.channel.isWritable else {
            return
        }
        readPending = false
        context.read()
    }

    // MARK: - Raw input accounting (called by RawByteObserver)

    /// Counts bytes that arrive while a request head is incomplete; false drops them.
    func willDecode(byteCount: Int) -> Bool {
        guard !inputFinished, !closing else { return false }
        let now = NIODeadline.now()
        lastActivity = now
        if awaitingHead {
            if headBytes == 0 { headStarted = now }
            headBytes += byteCount
        }
        return true
    }

    /// After the decoder has seen the bytes: a head still incomplete is checked against the
    /// size limit and, once, gets a timer for the time limit.
    func didDecode() {
        guard awaitingHead, headBytes > 0, !inputFinished, !closing else { return }
        let limit = shared.configuration.maxHeaderBytes
        if headBytes > limit {
            enqueue(
                .failure(
                    RequestError(.requestHeaderFieldsTooLarge, "the request line and headers exceed \(limit) bytes"),
                    nil))
            return
        }
        if headerTimer == nil, let started = headStarted {
            scheduleHeaderTimer(deadline: started + shared.configuration.headerTimeout.timeAmount)
        }
    }

    // MARK: - Timers

    private func scheduleHeaderTimer(deadline: NIODeadline) {
        guard let context else { return }
        headerTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            headerTimerFired()
        }
    }

    private func headerTimerFired() {
        headerTimer = nil
        guard awaitingHead, headBytes > 0, let started = headStarted, !closing, !inputFinished else { return }
        let deadline = started + shared.configuration.headerTimeout.timeAmount
        if NIODeadline.now() < deadline {
            scheduleHeaderTimer(deadline: deadline)
            return
        }
        if active == nil, queue.isEmpty {
            enqueue(.failure(RequestError(.requestTimeout, "the request headers did not arrive in time"), nil))
        } else {
            context?.close(promise: nil)
        }
    }

    /// One timer per connection, pushed back lazily instead of being rescheduled on every
    /// request.
    private func scheduleIdleTimer() {
        guard let context, idleTimer == nil, !closing else { return }
        let deadline = lastActivity + shared.configuration.idleTimeout.timeAmount
        idleTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            idleTimerFired()
        }
    }

    private func idleTimerFired() {
        idleTimer = nil
        guard !closing, let context else { return }
        let busy = active != nil || !queue.isEmpty || partial != nil || headBytes > 0
        if busy { lastActivity = .now() }
        if !busy, NIODeadline.now() >= lastActivity + shared.configuration.idleTimeout.timeAmount {
            closing = true
            lastResponseThenClose(context)
            return
        }
        scheduleIdleTimer()
    }

    // MARK: - Dispatch

    private func enqueue(_ work: Work) {
        if case .failure = work {
            inputFinished = true
            partial = nil
        }
        queue.append(work)
        processQueue()
    }

    private func processQueue() {
        // Answers wait while earlier ones are still unsent (see `read(context:)`).
        while active == nil, !closing, !queue.isEmpty, context?.channel.isWritable ?? false {
            start(queue.removeFirst())
        }
        resumeReading()
    }

    private func start(_ work: Work) {
        switch work {
        case .failure(let error, let head):
            respond(Answer.error(error), to: head, route: nil, revision: currentRevision, close: true)
        case .request(let request):
            if case .refused(let status, let message) = admission {
                inputFinished = true
                respond(.error(status, message), to: request.head, route: nil, revision: currentRevision, close: true)
                return
            }
            var route: Route?
            do throws(RequestError) {
                try dispatch(request, route: &route)
            } catch {
                respond(.error(error), to: request.head, route: route, revision: currentRevision, close: false)
            }
        }
    }

    /// Answers or starts answering `request`; `matched` is set as soon as the path is
    /// known, so errors about parameters are counted under their route.
    private func dispatch(_ request: Request, route matched: inout Route?) throws(RequestError) {
        let head = request.head
        guard head.method == .GET || head.method == .HEAD else {
            var answer = Answer.error(
                .methodNotAllowed, "method \(head.method.rawValue) is not allowed; use GET or HEAD")
            answer.headers.append(("allow", "GET, HEAD"))
            respond(answer, to: head, route: nil, revision: currentRevision, close: false)
            return
        }
        let target = try RequestTarget(uri: head.uri)
        guard let route = Route(path: target.path) else {
            throw RequestError(.notFound, "no such path: \(target.path)")
        }
        matched = route
        switch route {
        case .snapshot, .section, .entry:
            let configuration = shared.configuration
            let options = try QueryOptions(
                target: target, defaultWait: configuration.defaultWait, maxWait: configuration.maxWait)
            let raw = options.raw || RouteResponder.prefersText(head.headers)
            let current = shared.store.current
            if let after = options.revision, options.wait > .zero, (current?.revision ?? 0) <= after {
                startBlocking(request, route: route, raw: raw, after: after, wait: options.wait)
            } else {
                respondWithSnapshot(request, route: route, raw: raw, published: current)
            }
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
            startWatch(request, after: after)
        case .health, .readiness, .metrics:
            respond(
                shared.responder.serviceAnswer(route), to: head, route: route, revision: currentRevision, close: false)
        }
    }

    private var currentRevision: UInt64 { shared.store.current?.revision ?? 0 }

    private func respondWithSnapshot(_ request: Request, route: Route, raw: Bool, published: PublishedSnapshot?) {
        var answer = shared.responder.snapshotAnswer(route, published, raw: raw)
        let revision = published?.revision ?? 0
        if answer.status == .ok, RouteResponder.ifNoneMatch(request.head.headers, matches: "\"\(revision)\"") {
            answer = Answer(status: .notModified, contentType: answer.contentType, body: ByteBuffer())
        }
        respond(answer, to: request.head, route: route, revision: revision, close: false)
    }

    // MARK: - Writing complete answers

    private func respond(_ answer: Answer, to head: HTTPRequestHead?, route: Route?, revision: UInt64, close: Bool) {
        guard let context else { return }
        let version = head?.version ?? .http1_1
        let keepAlive = !close && !quiescing && (head?.isKeepAlive ?? false)
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
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        lastResponse = done
        shared.metrics.countRequest(route: route?.metricLabel ?? "other", status: answer.status.code)
        lastActivity = .now()
        if !keepAlive {
            closing = true
            lastResponseThenClose(context)
        }
    }

    private func lastResponseThenClose(_ context: ChannelHandlerContext) {
        guard let lastResponse else {
            context.close(promise: nil)
            return
        }
        lastResponse.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    // MARK: - Blocking queries

    private func startBlocking(_ request: Request, route: Route, raw: Bool, after: UInt64, wait: Duration) {
        guard let context else { return }
        generation += 1
        let generation = generation
        let loop = context.eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        var blocking = Blocking(generation: generation, request: request, route: route, raw: raw)
        active = .blocking(blocking)
        shared.metrics.blockingQueryCount.add(1, ordering: .relaxed)
        blocking.timer = loop.assumeIsolated().scheduleTask(in: wait.timeAmount) { [self] in
            finishBlocking(generation, timedOut: true)
        }
        blocking.waiter = shared.store.onRevision(after: after) { _ in
            loop.execute { bound.value.finishBlocking(generation, timedOut: false) }
        }
        if case .blocking(let current) = active, current.generation == generation {
            active = .blocking(blocking)
        }
    }

    private func finishBlocking(_ generation: UInt64, timedOut: Bool) {
        guard case .blocking(let blocking) = active, blocking.generation == generation else { return }
        active = nil
        shared.metrics.blockingQueryCount.subtract(1, ordering: .relaxed)
        blocking.timer?.cancel()
        if timedOut, let waiter = blocking.waiter { shared.store.cancel(waiter) }
        guard !closing else { return }
        respondWithSnapshot(blocking.request, route: blocking.route, raw: blocking.raw, published: shared.store.current)
        processQueue()
    }

    // MARK: - Watch streams

    private func startWatch(_ request: Request, after: UInt64) {
        guard let context else { return }
        let head = request.head
        let format: WatchFormat =
            head.headers[canonicalForm: "accept"].contains { $0.hasPrefix("text/event-stream") }
            ? .serverSentEvents : .ndjson
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: format == .ndjson ? "application/x-ndjson" : "text/event-stream")
        headers.add(name: "cache-control", value: "no-cache")
        headers.add(name: "x-podmeta-revision", value: String(currentRevision))
        headers.add(name: "etag", value: "\"\(currentRevision)\"")
        if head.version.minor == 0 || head.method == .HEAD || quiescing {
            headers.add(name: "connection", value: "close")
        }
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))), promise: nil
        )
        shared.metrics.countRequest(route: Route.watch.metricLabel, status: 200)
        if head.method == .HEAD || quiescing {
            lastResponse = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            closing = true
            lastResponseThenClose(context)
            return
        }
        context.flush()
        generation += 1
        active = .watch(Watch(generation: generation, format: format, lastSent: after, lastWrite: .now()))
        shared.metrics.watchStreamCount.add(1, ordering: .relaxed)
        scheduleHeartbeat(generation)
        awaitNextRevision(generation)
    }

    private func awaitNextRevision(_ generation: UInt64) {
        guard let context, case .watch(var watch) = active, watch.generation == generation else { return }
        let loop = context.eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        let waiter = shared.store.onRevision(after: watch.lastSent) { _ in
            loop.execute { bound.value.sendLatest(generation) }
        }
        guard case .watch(let now) = active, now.generation == generation else {
            if let waiter { shared.store.cancel(waiter) }
            return
        }
        watch = now
        watch.waiter = waiter
        active = .watch(watch)
    }

    /// Sends the newest revision (revisions published while a frame was being written are
    /// skipped: a watcher wants the current state, not history).
    private func sendLatest(_ generation: UInt64) {
        guard let context, case .watch(var watch) = active, watch.generation == generation else { return }
        watch.waiter = nil
        guard let published = shared.store.current, published.revision > watch.lastSent else {
            active = .watch(watch)
            awaitNextRevision(generation)
            return
        }
        watch.lastSent = published.revision
        watch.writing = true
        watch.lastWrite = .now()
        active = .watch(watch)
        let frame = watchFrame(published, format: watch.format)
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(frame)))).assumeIsolated().whenComplete {
            [self] result in
            guard case .watch(var watch) = active, watch.generation == generation else { return }
            watch.writing = false
            active = .watch(watch)
            switch result {
            case .success: awaitNextRevision(generation)
            case .failure: self.context?.close(promise: nil)
            }
        }
    }

    private func watchFrame(_ published: PublishedSnapshot, format: WatchFormat) -> ByteBuffer {
        switch format {
        case .ndjson:
            return shared.renderings.body("watch.ndjson", of: published) {
                JSONRenderer(style: .compact).render(published.snapshot.document(revision: published.revision)) + [0x0A]
            }
        case .serverSentEvents:
            return shared.renderings.body("watch.sse", of: published) {
                Array("id: \(published.revision)\nevent: snapshot\ndata: ".utf8)
                    + JSONRenderer(style: .compact).render(published.snapshot.document(revision: published.revision))
                    + Array("\n\n".utf8)
            }
        }
    }

    private func scheduleHeartbeat(_ generation: UInt64) {
        guard let context, case .watch(var watch) = active, watch.generation == generation else { return }
        let interval = shared.configuration.heartbeatInterval.timeAmount
        watch.heartbeat = context.eventLoop.assumeIsolated().scheduleTask(deadline: watch.lastWrite + interval) {
            [self] in
            heartbeat(generation)
        }
        active = .watch(watch)
    }

    private func heartbeat(_ generation: UInt64) {
        guard let context, case .watch(var watch) = active, watch.generation == generation else { return }
        let interval = shared.configuration.heartbeatInterval.timeAmount
        let now = NIODeadline.now()
        if !watch.writing, now >= watch.lastWrite + interval {
            watch.lastWrite = now
            let beat = watch.format == .ndjson ? ByteBuffer(string: "\n") : ByteBuffer(string: ": heartbeat\n\n")
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(beat))), promise: nil)
        }
        active = .watch(watch)
        scheduleHeartbeat(generation)
    }

    // MARK: - Ending

    /// Releases what the active answer holds (waiter, timers, gauges) without answering.
    private func endActive() {
        switch active {
        case .blocking(let blocking):
            blocking.timer?.cancel()
            if let waiter = blocking.waiter { shared.store.cancel(waiter) }
            shared.metrics.blockingQueryCount.subtract(1, ordering: .relaxed)
        case .watch(let watch):
            watch.heartbeat?.cancel()
            if let waiter = watch.waiter { shared.store.cancel(waiter) }
            shared.metrics.watchStreamCount.subtract(1, ordering: .relaxed)
        case nil:
            break
        }
        active = nil
    }

    /// Graceful shutdown: a blocking query is answered now with the current state, a
    /// watch stream ends, an idle connection closes.
    private func quiesce() {
        guard let context, !quiescing else { return }
        quiescing = true
        inputFinished = true
        queue.removeAll()
        switch active {
        case .blocking(let blocking):
            finishBlocking(blocking.generation, timedOut: true)
        case .watch:
            endActive()
            lastResponse = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            closing = true
            lastResponseThenClose(context)
        case nil:
            closing = true
            lastResponseThenClose(context)
        }
    }

    // MARK: - Request inspection

    /// The bytes of the request line and headers as sent (`NAME: VALUE\r\n` each).
    static func headSize(_ head: HTTPRequestHead) -> Int {
        var size = head.method.rawValue.utf8.count + 1 + head.uri.utf8.count + 1 + 8 + 2 + 2
        for (name, value) in head.headers { size += name.utf8.count + 2 + value.utf8.count + 2 }
        return size
    }

    /// Whether the request announces a body (any Transfer-Encoding, or a non-zero length).
    static func declaresBody(_ head: HTTPRequestHead) -> Bool {
        if head.headers.contains(name: "transfer-encoding") { return true }
        return head.headers["content-length"].contains { $0.trimmingCharacters() != "0" }
    }
}

extension String {
    fileprivate func trimmingCharacters() -> Substring { Substring(self).trimmingSpaces() }
}

extension Duration {
    /// The duration as NIO's `TimeAmount`.
    var timeAmount: TimeAmount { .nanoseconds(nanoseconds) }
}
