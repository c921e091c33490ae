import Glibc
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import PodmetaState
import ServiceLifecycle
import Synchronization

/// The local query endpoint: HTTP/1.1 on a Unix domain socket, read-only, answering from a
/// ``SnapshotStore``; optionally also a TCP listener for `/metrics`, `/healthz` and
/// `/readyz` only (``SocketServerConfiguration/metricsAddress``), on the same event loop.
///
/// Run it as a swift-service-lifecycle `Service` (or call ``run()`` yourself). At graceful
/// shutdown the listener closes and the socket file is removed at once, blocking queries
/// are answered with the current state, watch streams end, and connections still open after
/// ``SocketServerConfiguration/shutdownGracePeriod`` are closed.
///
/// ```swift
/// var configuration = SocketServerConfiguration(path: "/run/podmeta/podmeta.sock")
/// configuration.mode = 0o660
/// configuration.allowedUIDs = [1000]
/// let server = SocketServer(configuration: configuration, store: store, health: health, metrics: registry, logger: logger)
/// let group = ServiceGroup(services: [watcher, server], gracefulShutdownSignals: [.sigterm], logger: logger)
/// try await group.run()
/// ```
public final class SocketServer: Service, Sendable {
    public let configuration: SocketServerConfiguration

    private enum State {
        case idle
        case starting
        case running(Running)
        case stopped
    }

    private struct Running {
        var group: any EventLoopGroup
        var ownsGroup: Bool
        /// The Unix socket's listener and file, when a path is configured.
        var unix: (channel: any Channel, file: UnixSocketFile)?
        /// The metrics listener, when an address is configured.
        var tcp: (any Channel)?

        var channels: [any Channel] { [unix?.channel, tcp].compactMap { $0 } }
    }

    private let shared: ServerShared
    private let logger: Logger
    private let providedGroup: (any EventLoopGroup)?
    private let state = Mutex(State.idle)
    private let connections = ConnectionRegistry()
    /// Kept apart from the socket's connections: scrapers and local clients never use up
    /// each other's slots.
    private let metricsConnections = ConnectionRegistry()

    /// - Parameters:
    ///   - configuration: the socket path, its mode, the metrics address and the limits.
    ///   - store: the snapshots to serve.
    ///   - health: what `/healthz` reports.
    ///   - metrics: the agent's registry; the server adds its series and serves it on `/metrics`.
    ///   - eventLoopGroup: where to run; by default the server runs its own single-thread
    ///     group and shuts it down when it stops.
    package init(
        configuration: SocketServerConfiguration, store: SnapshotStore, health: AgentHealth,
        metrics: MetricsRegistry, logger: Logger = Logger(label: "podmeta.socket"),
        eventLoopGroup: (any EventLoopGroup)? = nil
    ) {
        self.configuration = configuration
        self.shared = ServerShared(
            configuration: configuration, store: store, health: health, metrics: ServerMetrics(registry: metrics))
        self.logger = logger
        self.providedGroup = eventLoopGroup
    }

    /// Prepares the socket path, binds the socket and the metrics listener and starts
    /// accepting connections; returns once both accept them. Calling it again while running
    /// does nothing.
    ///
    /// - Throws: ``SocketServerError`` when another server is listening on the path, the
    ///   path holds something that is not a socket, the metrics address cannot be bound, or
    ///   a system call fails.
    public func start() async throws(SocketServerError) {
        let shouldStart = state.withLock { state -> Bool in
            guard case .idle = state else { return false }
            state = .starting
            return true
        }
        let name = configuration.path ?? configuration.metricsAddress.map(String.init(describing:)) ?? ""
        guard shouldStart else {
            if case .stopped = state.withLock({ $0 }) {
                throw SocketServerError(path: name, kind: .systemCall, reason: "the server has stopped")
            }
            return
        }
        let group = providedGroup ?? MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var running = Running(group: group, ownsGroup: providedGroup == nil)
        do throws(SocketServerError) {
            if let path = configuration.path {
                running.unix = try await bindUnix(path, group)
            }
            if let address = configuration.metricsAddress {
                running.tcp = try await bindTCP(address, group)
            }
        } catch {
            for channel in running.channels { try? await channel.close() }
            running.unix?.file.remove()
            state.withLock { $0 = .stopped }
            if providedGroup == nil { try? await group.shutdownGracefully() }
            throw error
        }
        state.withLock { $0 = .running(running) }
        if let path = configuration.path {
            logger.info(
                "listening", metadata: ["socket": "\(path)", "mode": "\(String(configuration.mode, radix: 8))"])
        }
        if let address = configuration.metricsAddress, let port = running.tcp?.localAddress?.port {
            let bound = MetricsAddress(host: address.host, port: port)
            logger.info("listening for metrics", metadata: ["address": "\(bound)"])
        }
    }

    private func bindUnix(
        _ path: String, _ group: any EventLoopGroup
    ) async throws(SocketServerError) -> (channel: any Channel, file: UnixSocketFile) {
        let bound = try UnixSocketFile.create(
            path: path, mode: configuration.mode, directoryMode: configuration.directoryMode)
        do {
            let channel = try await makeBootstrap(group, scope: .all, connections: connections)
                .withBoundSocket(bound.descriptor).get()
            return (channel, bound.file)
        } catch {
            bound.file.remove()
            close(bound.descriptor)
            throw SocketServerError(path: path, kind: .systemCall, reason: "cannot listen: \(error)")
        }
    }

    private func bindTCP(_ address: MetricsAddress, _ group: any EventLoopGroup) async throws(SocketServerError)
        -> any Channel
    {
        do {
            return try await makeBootstrap(group, scope: .serviceOnly, connections: metricsConnections)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: address.host, port: address.port).get()
        } catch {
            throw SocketServerError(path: address.description, kind: .metricsListener, reason: "\(error)")
        }
    }

    /// Serves until graceful shutdown, task cancellation or ``triggerShutdown()``, then
    /// closes the listeners, removes the socket file and finishes in-flight answers.
    public func run() async throws {
        try await start()
        guard case .running(let running) = state.withLock({ $0 }) else { return }
        let listeners = running.channels
        // Either listener closing (shutdown, or a failure) ends the server.
        let closed = listeners[0].eventLoop.makePromise(of: Void.self)
        for channel in listeners { channel.closeFuture.whenComplete { _ in closed.succeed() } }
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                try? await closed.futureResult.get()
            } onGracefulShutdown: {
                for channel in listeners { channel.close(promise: nil) }
            }
        } onCancel: {
            for channel in listeners { channel.close(promise: nil) }
        }
        for channel in listeners { try? await channel.close() }
        running.unix?.file.remove()
        async let local: Void = connections.quiesce(gracePeriod: configuration.shutdownGracePeriod)
        async let scrapers: Void = metricsConnections.quiesce(gracePeriod: configuration.shutdownGracePeriod)
        _ = await (local, scrapers)
        state.withLock { $0 = .stopped }
        if running.ownsGroup { try? await running.group.shutdownGracefully() }
        logger.info("stopped", metadata: configuration.path.map { ["socket": "\($0)"] } ?? [:])
    }

    /// Starts the graceful shutdown that ``run()`` completes (for callers without a
    /// ServiceGroup, e.g. tests).
    public func triggerShutdown() {
        if case .running(let running) = state.withLock({ $0 }) {
            for channel in running.channels { channel.close(promise: nil) }
        }
    }

    /// Open connections right now (socket and metrics listener).
    public var connectionCount: Int { connections.count + metricsConnections.count }

    /// The metrics listener's bound port (the chosen one when the address asked for port 0).
    public var metricsPort: Int? {
        guard case .running(let running) = state.withLock({ $0 }) else { return nil }
        return running.tcp?.localAddress?.port
    }

    private func makeBootstrap(
        _ group: any EventLoopGroup, scope: RouteScope, connections: ConnectionRegistry
    ) -> ServerBootstrap {
        let shared = shared
        let logger = logger
        let configuration = configuration
        return ServerBootstrap(group: group)
            // Requests here are a few dozen to a few hundred bytes; NIO's default first read
            // buffer is 2 KiB, and each channel keeps its read buffer for its whole life. A
            // 256-byte first read keeps waiting connections cheap (a longer head takes a
            // second read, and the allocator grows for the next); see the benchmark.
            .childChannelOption(
                .recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 256, maximum: 65536)
            )
            .childChannelInitializer { channel in
                let metrics = shared.metrics
                metrics.openConnections.add(1, ordering: .relaxed)
                let open = connections.add(channel) { metrics.openConnections.subtract(1, ordering: .relaxed) }
                // Far beyond the cap, answering costs more than it helps: just close.
                if open > configuration.maxConnections + 64 {
                    metrics.countRejection(reason: "limit")
                    return channel.close()
                }
                var admission = HTTPConnectionHandler.Admission.accepted
                if open > configuration.maxConnections {
                    metrics.countRejection(reason: "limit")
                    admission = .probesOnly(
                        refusal: RequestError(
                            .serviceUnavailable, "too many connections (limit \(configuration.maxConnections))"))
                } else if scope == .all, let allowed = configuration.allowedUIDs {
                    let uid = SocketServer.peerUID(channel)
                    if uid.map({ !allowed.contains($0) }) ?? true {
                        metrics.countRejection(reason: "uid")
                        logger.debug("refused a peer", metadata: ["uid": "\(uid.map(String.init) ?? "unknown")"])
                        admission = .refused(
                            .forbidden, "uid \(uid.map(String.init) ?? "unknown") may not use this socket")
                    }
                }
                // A connection beyond the cap gets one probe, and only as long as a request
                // head may take: it must not hold its slot like a kept-alive client.
                let idleTimeout =
                    admission.answersOnce
                    ? min(configuration.idleTimeout, configuration.headerTimeout) : configuration.idleTimeout
                return channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(IdleStateHandler(allTimeout: idleTimeout.timeAmount))
                    try pipeline.addHandler(
                        RequestHeadLimitHandler(
                            maxBytes: configuration.maxHeaderBytes, timeout: configuration.headerTimeout.timeAmount))
                    try pipeline.configureHTTPServerPipeline(withPipeliningAssistance: false, withErrorHandling: false)
                    try pipeline.addHandler(HTTPConnectionHandler(shared: shared, admission: admission, scope: scope))
                }
            }
    }

    /// The peer's uid from SO_PEERCRED. The initializer runs on the channel's loop, where
    /// the option future is already complete.
    private static func peerUID(_ channel: any Channel) -> UInt32? {
        guard let provider = channel as? any SocketOptionProvider else { return nil }
        // `struct ucred { pid_t pid; uid_t uid; gid_t gid; }`: Glibc's Swift module hides
        // the struct (it needs _GNU_SOURCE); a tuple of the same three 32-bit fields has its
        // layout.
        let future: EventLoopFuture<(Int32, UInt32, UInt32)> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
        var uid: UInt32?
        future.assumeIsolated().whenSuccess { uid = $0.1 }
        return uid
    }
}
