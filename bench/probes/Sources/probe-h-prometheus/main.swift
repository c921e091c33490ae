// Probe h: probe d + swift-metrics + swift-prometheus (issue 4: "use swift-metrics with
// swift-prometheus if it costs under 1 MB of RSS; record the measurement either way").
// The same server, answering with the Prometheus text of a registry holding as many series
// as the agent exports, bootstrapped as the MetricsSystem.
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
import Metrics
import Prometheus
import ServiceLifecycle

let registry = PrometheusCollectorRegistry()

final class Hello: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        var text: [UInt8] = []
        registry.emit(into: &text)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Length", value: "\(text.count)")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: text)))), promise: nil)
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
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        // About as many series as podmeta exports.
        for name in ["reads", "read_errors", "publishes", "output_writes", "output_errors", "source_warnings",
                     "hook_runs", "hook_failures", "requests"] {
            Counter(label: "podmeta_\(name)_total", dimensions: [("kind", "probe")]).increment()
        }
        for name in ["revision", "last_change_timestamp_seconds", "ready", "connections", "waiters"] {
            Gauge(label: "podmeta_\(name)").record(1)
        }
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
