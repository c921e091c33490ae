import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import PodmetaState
import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The local query endpoint: HTTP/1.1 on a Unix domain socket, read-only, answering from a
/// ``SnapshotStore``.
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
        var channel: any Channel
        var file: UnixSocketFile
    }

    private let shared: ServerShared
    private let logger: Logger
    private let providedGroup: (any EventLoopGroup)?
    private let state = Mutex(State.idle)
    private let connections = ConnectionRegistry()

    /// - Parameters:
    ///   - configuration: the socket path, its mode and the limits.
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

    /// Prepares the socket path, binds and starts accepting connections; returns once the
    /// socket accepts them. Calling it again while running does nothing.
    ///
    /// - Throws: ``SocketServerError`` when another server is listening on the path, the
    ///   path holds something that is not a socket, or a system call fails.
    public func start() async throws(SocketServerError) {
        let shouldStart = state.withLock { state -> Bool in
            guard case .idle = state else { return false }
            state = .starting
            return true
        }
        guard shouldStart else {
            if case .stopped = state.withLock({ $0 }) {
                throw SocketServerError(path: configuration.path, kind: .systemCall, reason: "the server has stopped")
            }
            return
        }
        let group = providedGroup ?? MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let bound: (descriptor: CInt, file: UnixSocketFile)
        do throws(SocketServerError) {
            bound = try UnixSocketFile.create(
                path: configuration.path, mode: configuration.mode, directoryMode: configuration.directoryMode)
        } catch {
            state.withLock { $0 = .stopped }
            if providedGroup == nil { try? await group.shutdownGracefully() }
            throw error
        }
        let channel: any Channel
        do {
            channel = try await makeBootstrap(group).withBoundSocket(bound.descriptor).get()
        } catch {
            bound.file.remove()
            close(bound.descriptor)
            state.withLock { $0 = .stopped }
            if providedGroup == nil { try? await group.shutdownGracefully() }
            throw SocketServerError(path: configuration.path, kind: .systemCall, reason: "cannot listen: \(error)")
        }
        state.withLock {
            $0 = .running(Running(group: group, ownsGroup: providedGroup == nil, channel: channel, file: bound.file))
        }
        logger.info(
            "listening",
            metadata: ["socket": "\(configuration.path)", "mode": "\(String(configuration.mode, radix: 8))"])
    }

    /// Serves until graceful shutdown, task cancellation or ``triggerShutdown()``, then
    /// closes the listener, removes the socket file and finishes in-flight answers.
    public func run() async throws {
        try await start()
        guard case .running(let running) = state.withLock({ $0 }) else { return }
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                try? await running.channel.closeFuture.get()
            } onGracefulShutdown: {
                running.channel.close(promise: nil)
            }
        } onCancel: {
            running.channel.close(promise: nil)
        }
        running.file.remove()
        await connections.quiesce(gracePeriod: configuration.shutdownGracePeriod)
        state.withLock { $0 = .stopped }
        if running.ownsGroup { try? await running.group.shutdownGracefully() }
        logger.info("stopped", metadata: ["socket": "\(configuration.path)"])
    }

    /// Starts the graceful shutdown that ``run()`` completes (for callers without a
    /// ServiceGroup, e.g. tests).
    public func triggerShutdown() {
        if case .running(let running) = state.withLock({ $0 }) {
            running.channel.close(promise: nil)
        }
    }

    /// Open connections right now.
    public var connectionCount: Int { connections.count }

    private func makeBootstrap(_ group: any EventLoopGroup) -> ServerBootstrap {
        let shared = shared
        let connections = connections
        let logger = logger
        let configuration = configuration
        return ServerBootstrap(group: group)
            // Requests here are a few hundred bytes; NIO's default first read buffer is 2 KiB
            // per read. Smaller first reads keep idle connections cheap (see the benchmark).
            .childChannelOption(
                .recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 512, maximum: 65536)
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
                    admission = .refused(
                        .serviceUnavailable, "too many connections (limit \(configuration.maxConnections))")
                } else if let allowed = configuration.allowedUIDs {
                    let uid = SocketServer.peerUID(channel)
                    if uid.map({ !allowed.contains($0) }) ?? true {
                        metrics.countRejection(reason: "uid")
                        logger.debug("refused a peer", metadata: ["uid": "\(uid.map(String.init) ?? "unknown")"])
                        admission = .refused(
                            .forbidden, "uid \(uid.map(String.init) ?? "unknown") may not use this socket")
                    }
                }
                return channel.eventLoop.makeCompletedFuture {
                    let handler = HTTPConnectionHandler(shared: shared, admission: admission)
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(RawByteObserver(connection: handler))
                    try pipeline.configureHTTPServerPipeline(withPipeliningAssistance: false, withErrorHandling: false)
                    try pipeline.addHandler(handler)
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
