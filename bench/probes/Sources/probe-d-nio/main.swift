// Probe d: + NIOPosix/NIOHTTP1: one event-loop thread serving HTTP/1.1 on a Unix socket
// (--socket, default /tmp/probe-<pid>.sock), as podmeta's socket server does.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ArgumentParser
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

final class Hello: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Length", value: "2")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: "{}")))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}

struct ServerService: Service {
    let channel: any Channel
    func run() async throws {
        try? await gracefulShutdown()
        try await channel.close()
    }
}

@main
struct Probe: AsyncParsableCommand {
    @Option(help: "The socket.") var socket = "/tmp/probe-\(getpid()).sock"

    func run() async throws {
        let logger = Logger(label: "probe")
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        unlink(socket)
        let channel = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap { channel.pipeline.addHandler(Hello()) }
            }
            .bind(unixDomainSocketPath: socket).get()
        let services = ServiceGroup(
            configuration: .init(
                services: [.init(service: ServerService(channel: channel))], gracefulShutdownSignals: [.sigterm], logger: logger))
        print("ready \(socket)")
        try await services.run()
        unlink(socket)
        try await group.shutdownGracefully()
    }
}
