import Logging
import PodmetaCore
import PodmetaState
import PodmetaSystem
import PodmetaTestSupport

@testable import PodmetaServer

/// A server on a socket in a fresh short temp directory (sun_path holds 108 bytes).
final class TestServer: Sendable {
    let directory: String
    let path: String
    let store: SnapshotStore
    let health: AgentHealth
    let registry: MetricsRegistry
    let server: SocketServer
    private let task: Task<Void, any Error>

    /// Starts a server; `configure` adjusts the configuration (limits, mode, ...).
    init(
        publish snapshot: PodSnapshot? = TestServer.sample, directory: String? = nil,
        configure: (inout SocketServerConfiguration) -> Void = { _ in }
    ) async throws {
        let directory = try directory ?? Posix.makeTemporaryDirectory(in: "/tmp", prefix: "pmsrv")
        self.directory = directory
        path = directory + "/s.sock"
        store = SnapshotStore(clock: { 1_700_000_000 })
        health = AgentHealth()
        health.update { $0.alive = true }
        registry = MetricsRegistry()
        if let snapshot {
            store.publish(snapshot)
            health.update { $0.ready = true }
        }
        var configuration = SocketServerConfiguration(path: path)
        configure(&configuration)
        let server = SocketServer(
            configuration: configuration, store: store, health: health, metrics: registry,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        self.server = server
        try await server.start()
        task = Task { try await server.run() }
    }

    /// Shuts the server down and waits for `run()` to return.
    func stop() async throws {
        server.triggerShutdown()
        try await task.value
    }

    /// Stops the server and removes the directory.
    func finish() async throws {
        try await stop()
        Files.removeTree(directory)
    }

    /// A raw connection to this server.
    func connect() throws -> TestConnection { try TestConnection(path: path) }

    /// One request on a fresh connection.
    func get(_ target: String, headers: [(String, String)] = [], method: String = "GET") throws
        -> UnixSocketHTTPResponse
    {
        try UnixSocketHTTPClient(path: path, timeout: .seconds(10)).request(target, method: method, headers: headers)
    }

    static let sample: PodSnapshot = {
        var snapshot = PodSnapshot()
        snapshot.pod.name = "web-0"
        snapshot.pod.namespace = "shop"
        snapshot.labels = ["app": "web", "app.kubernetes.io/name": "shop", "tier": "front end"]
        snapshot.annotations = ["example.com/note": "multi\nline", "kubernetes.io/config.seen": "2024-01-01"]
        snapshot.env = ["POD_NAME": "web-0"]
        return snapshot
    }()
}
