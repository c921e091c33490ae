import PodmetaState
import Synchronization

/// The server's own series, kept in atomics and a small table and copied into the shared
/// ``MetricsRegistry`` when `/metrics` is rendered, so counting a request costs no string
/// building.
final class ServerMetrics: Sendable {
    static let requests = "podmeta_socket_requests_total"
    static let connections = "podmeta_socket_connections"
    static let rejected = "podmeta_socket_connections_rejected_total"
    static let blockingQueries = "podmeta_socket_blocking_queries"
    static let watchStreams = "podmeta_socket_watch_streams"
    static let storeWaiters = "podmeta_snapshot_waiters"

    private struct RequestKey: Hashable {
        var route: String
        var status: UInt
    }

    let registry: MetricsRegistry
    let openConnections = Atomic<Int>(0)
    let blockingQueryCount = Atomic<Int>(0)
    let watchStreamCount = Atomic<Int>(0)
    private let requestCounts = Mutex<[RequestKey: Int]>([:])
    private let rejections = Mutex<[String: Int]>([:])

    init(registry: MetricsRegistry) {
        self.registry = registry
        registry.describe(
            ServerMetrics.requests, kind: .counter, help: "Requests answered on the socket, by route and status.")
        registry.describe(ServerMetrics.connections, kind: .gauge, help: "Open socket connections.")
        registry.describe(
            ServerMetrics.rejected, kind: .counter, help: "Socket connections refused, by reason (limit, uid).")
        registry.describe(
            ServerMetrics.blockingQueries, kind: .gauge, help: "Blocking queries waiting for a new revision.")
        registry.describe(ServerMetrics.watchStreams, kind: .gauge, help: "Open /v1/watch streams.")
        registry.describe(ServerMetrics.storeWaiters, kind: .gauge, help: "Callbacks waiting in the snapshot store.")
    }

    func countRequest(route: String, status: UInt) {
        requestCounts.withLock { $0[RequestKey(route: route, status: status), default: 0] += 1 }
    }

    func countRejection(reason: String) {
        rejections.withLock { $0[reason, default: 0] += 1 }
    }

    /// The request count of one route and status (for tests).
    func requestCount(route: String, status: UInt) -> Int {
        requestCounts.withLock { $0[RequestKey(route: route, status: status)] ?? 0 }
    }

    /// Copies the current values into the registry and renders the exposition text.
    func render(storeWaiters: Int) -> String {
        for (key, count) in requestCounts.withLock({ $0 }) {
            registry.set(
                ServerMetrics.requests, labels: [("route", key.route), ("status", String(key.status))],
                to: Double(count))
        }
        for (reason, count) in rejections.withLock({ $0 }) {
            registry.set(ServerMetrics.rejected, labels: [("reason", reason)], to: Double(count))
        }
        registry.set(ServerMetrics.connections, to: Double(openConnections.load(ordering: .relaxed)))
        registry.set(ServerMetrics.blockingQueries, to: Double(blockingQueryCount.load(ordering: .relaxed)))
        registry.set(ServerMetrics.watchStreams, to: Double(watchStreamCount.load(ordering: .relaxed)))
        registry.set(ServerMetrics.storeWaiters, to: Double(storeWaiters))
        return registry.render()
    }
}
