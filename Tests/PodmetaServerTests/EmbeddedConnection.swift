import NIOCore
import NIOEmbedded
import NIOHTTP1
import PodmetaCore
import PodmetaState

@testable import PodmetaServer

/// One connection's pipeline on an `EmbeddedChannel`: virtual time that the test advances,
/// no socket and no sleeping. (`IdleStateHandler` reads the real clock, so its event is
/// fired by hand.)
final class EmbeddedConnection {
    let loop = EmbeddedEventLoop()
    let channel: EmbeddedChannel
    let store = SnapshotStore(clock: { 1_700_000_000 })
    let health = AgentHealth()
    let shared: ServerShared
    let configuration: SocketServerConfiguration

    /// - Parameter front: handlers nearest the socket (e.g. one that holds writes).
    init(
        publish snapshot: PodSnapshot? = TestServer.sample, admission: HTTPConnectionHandler.Admission = .accepted,
        scope: RouteScope = .all, front: [any ChannelHandler] = [],
        configure: (inout SocketServerConfiguration) -> Void = { _ in }
    ) throws {
        var configuration = SocketServerConfiguration(path: "/unused")
        configure(&configuration)
        self.configuration = configuration
        health.update { $0.alive = true }
        if let snapshot { store.publish(snapshot) }
        shared = ServerShared(
            configuration: configuration, store: store, health: health,
            metrics: ServerMetrics(registry: MetricsRegistry()))
        channel = EmbeddedChannel(loop: loop)
        let pipeline = channel.pipeline.syncOperations
        for handler in front { try pipeline.addHandler(handler) }
        try pipeline.addHandler(
            RequestHeadLimitHandler(
                maxBytes: configuration.maxHeaderBytes, timeout: configuration.headerTimeout.timeAmount))
        try pipeline.configureHTTPServerPipeline(withPipeliningAssistance: false, withErrorHandling: false)
        try pipeline.addHandler(HTTPConnectionHandler(shared: shared, admission: admission, scope: scope))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
    }

    func send(_ text: String) throws {
        try channel.writeInbound(ByteBuffer(string: text))
    }

    /// Everything written since the last call, as text.
    func output() throws -> String {
        var text = ""
        while let part = try channel.readOutbound(as: IOData.self) {
            if case .byteBuffer(let buffer) = part { text += String(buffer: buffer) }
        }
        return text
    }

    func advance(_ amount: TimeAmount) {
        loop.advanceTime(by: amount)
    }

    var isOpen: Bool { channel.isActive }

    func fire(_ event: Any & Sendable) {
        channel.pipeline.fireUserInboundEventTriggered(event)
    }
}

/// Holds every write without completing it: a client that stops reading, seen from the
/// server once the kernel's buffer is full. The held writes fail when the channel closes
/// (NIO treats a promise that is never completed as a leak).
final class StalledClient: ChannelOutboundHandler {
    typealias OutboundIn = Any

    private var held: [EventLoopPromise<Void>] = []
    /// Writes received (and held) so far.
    private(set) var writes = 0

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        writes += 1
        if let promise { held.append(promise) }
    }

    func flush(context: ChannelHandlerContext) {}

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        let pending = held
        held = []
        for promise in pending { promise.fail(ChannelError.ioOnClosedChannel) }
        context.close(mode: mode, promise: promise)
    }
}
