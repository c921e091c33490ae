import Logging
import PodmetaCore
import PodmetaState

@testable import PodmetaServer

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

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
        let directory = directory ?? TestServer.makeTemporaryDirectory()
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
        TestServer.removeTree(directory)
    }

    /// A raw connection to this server.
    func connect() throws -> TestConnection { try TestConnection(path: path) }

    /// One request on a fresh connection.
    func get(_ target: String, headers: [(String, String)] = [], method: String = "GET") throws
        -> UnixSocketHTTPResponse
    {
        try UnixSocketHTTPClient(path: path, timeout: .seconds(10)).request(target, method: method, headers: headers)
    }

    /// Waits (bounded) until `condition` holds; returns whether it did.
    static func eventually(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<1000 {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
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

    static func makeTemporaryDirectory() -> String {
        var template = Array("/tmp/pmsrv-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    static func removeTree(_ path: String) {
        guard let dir = opendir(path) else {
            unlink(path)
            return
        }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(cString: $0.bindMemory(to: CChar.self).baseAddress!)
            }
            if name == "." || name == ".." { continue }
            let child = path + "/" + name
            var info = stat()
            if lstat(child, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
                removeTree(child)
            } else {
                unlink(child)
            }
        }
        closedir(dir)
        rmdir(path)
    }
}
