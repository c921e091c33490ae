// Probe e: probe d + full Foundation, touched at start the way everyday code does
// (String(format:), DateFormatter, JSONEncoder): what a sidecar pays if any of its modules
// uses Foundation beyond FoundationEssentials. (JSONEncoder, Date and ProcessInfo alone
// live in FoundationEssentials: a static link would not pull the rest in.)
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ArgumentParser
import Foundation
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
        struct Document: Codable { var labels: [String: String]; var at: Date }
        let encoded = try JSONEncoder().encode(Document(labels: ProcessInfo.processInfo.environment, at: Date()))
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        print("foundation \(encoded.count) bytes \(String(format: "%.1f", 1.5)) \(formatter.string(from: Date()))")
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
