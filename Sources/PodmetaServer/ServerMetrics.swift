import PodmetaState
import Synchronization

/// The server's own series, kept in atomics and a small table and copied into the shared
/// ``MetricsRegistry`` when `/metrics` is rendered, so counting a request costs no string
/// building.
final class ServerMetrics: Sendable {
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
    }

    func countRequest(route: String, status: UInt) {
        requestCounts.withLock { $0[RequestKey(route: route, status: status), default: 0] += 1 }
    }

    func countRejection(reason: String) {
        assert(Metric.socketRejectionReasons.contains(reason), "\(reason) is missing from the catalog's HELP text")
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
                .socketRequests, labels: ["route": key.route, "status": String(key.status)], to: Double(count))
        }
        for (reason, count) in rejections.withLock({ $0 }) {
            registry.set(.socketRejections, labels: ["reason": reason], to: Double(count))
        }
        registry.set(.socketConnections, to: Double(openConnections.load(ordering: .relaxed)))
        registry.set(.socketBlockingQueries, to: Double(blockingQueryCount.load(ordering: .relaxed)))
        registry.set(.socketWatchStreams, to: Double(watchStreamCount.load(ordering: .relaxed)))
        registry.set(.snapshotWaiters, to: Double(storeWaiters))
        return registry.render()
    }
}
