import Glibc
import Logging
import PodmetaState
import PodmetaSystem
import PodmetaTestSupport
import Testing

@testable import PodmetaServer

@Suite struct MetricsAddressTests {
    @Test(arguments: [
        ("0.0.0.0:9533", "0.0.0.0", 9533),
        ("127.0.0.1:0", "127.0.0.1", 0),
        ("[::1]:9533", "::1", 9533),
        ("[::]:65535", "::", 65535),
        ("localhost:80", "localhost", 80),
    ])
    func parses(text: String, host: String, port: Int) throws {
        let address = try MetricsAddress(parsing: text)
        #expect(address == MetricsAddress(host: host, port: port))
        #expect(address.description == text)
    }

    @Test(arguments: [
        "", "9533", ":9533", "0.0.0.0:", "0.0.0.0:http", "0.0.0.0:65536", "::1:9533", "[::1]", "[::1]9533", "[]:1",
        "a:-1", "a:+1", "a:٣",
    ])
    func refuses(text: String) {
        #expect(throws: MetricsAddressError.self) { try MetricsAddress(parsing: text) }
    }

    @Test func theErrorShowsAValidAddress() {
        let error = MetricsAddressError(text: "9533", reason: "it has no port")
        #expect(error.description.contains("0.0.0.0:9533"))
    }
}

/// The TCP listener serves probes and scrapes, never the pod's data.
@Suite struct MetricsListenerTests {
    static let refusedPaths = [
        "/v1/snapshot", "/v1/pod", "/v1/labels", "/v1/labels/app", "/v1/annotations/example.com%2Fnote",
        "/v1/watch", "/v1/pod?revision=0&wait=1m", "/", "/v2/pod",
    ]

    @Test(arguments: ["127.0.0.1", "::1"])
    func servesMetricsHealthAndReadinessOnly(host: String) async throws {
        let server = try await TestServer { $0.metricsAddress = MetricsAddress(host: host, port: 0) }
        let port = try #require(server.server.metricsPort)
        #expect(port > 0)
        for path in ["/metrics", "/healthz", "/readyz"] {
            let response = try TCPClient.get(host: host, port: port, path)
            #expect(response.hasPrefix("HTTP/1.1 200"), "\(path): \(response.prefix(200))")
        }
        #expect(try TCPClient.get(host: host, port: port, "/metrics").contains("podmeta_socket_requests_total"))
        for path in MetricsListenerTests.refusedPaths {
            let response = try TCPClient.get(host: host, port: port, path)
            #expect(response.hasPrefix("HTTP/1.1 404"), "\(path): \(response.prefix(200))")
            #expect(!response.contains("web-0"), "\(path) leaked pod data")
        }
        // The socket still serves everything.
        #expect(try server.get("/v1/pod").status == 200)
        try await server.finish()
    }

    @Test func runsWithoutASocket() async throws {
        let store = SnapshotStore()
        store.publish(TestServer.sample)
        let health = AgentHealth()
        health.update { $0.alive = true }
        let server = SocketServer(
            configuration: SocketServerConfiguration(metricsAddress: MetricsAddress(host: "127.0.0.1", port: 0)),
            store: store, health: health, metrics: MetricsRegistry(),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let task = Task { try await server.run() }
        #expect(await eventually { server.metricsPort != nil })
        let port = try #require(server.metricsPort)
        #expect(try TCPClient.get(host: "127.0.0.1", port: port, "/healthz").hasPrefix("HTTP/1.1 200"))
        server.triggerShutdown()
        try await task.value
        #expect(throws: TCPClient.Failure.self) { try TCPClient.get(host: "127.0.0.1", port: port, "/healthz") }
    }

    @Test func aTakenPortIsAClearError() async throws {
        let first = try await TestServer { $0.metricsAddress = MetricsAddress(host: "127.0.0.1", port: 0) }
        let port = try #require(first.server.metricsPort)
        let directory = try Posix.makeTemporaryDirectory(in: "/tmp", prefix: "pmsrv")
        var configuration = SocketServerConfiguration(path: directory + "/s.sock")
        configuration.metricsAddress = MetricsAddress(host: "127.0.0.1", port: port)
        let second = SocketServer(
            configuration: configuration, store: SnapshotStore(), health: AgentHealth(), metrics: MetricsRegistry(),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let error = await #expect(throws: SocketServerError.self) { try await second.start() }
        #expect(error?.kind == .metricsListener)
        #expect(error?.description.contains("--metrics-address") == true)
        // The socket bound before the failure is not left behind.
        var info = stat()
        #expect(lstat(directory + "/s.sock", &info) != 0)
        Files.removeTree(directory)
        try await first.finish()
    }
}

/// A one-request HTTP/1.0-style TCP client (`Connection: close`, read to the end).
enum TCPClient {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func get(host: String, port: Int, _ path: String) throws -> String {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICHOST
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let info = list else {
            throw Failure(description: "getaddrinfo \(host)")
        }
        defer { freeaddrinfo(list) }
        let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket") }
        defer { close(fd) }
        var limit = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        guard connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            throw Failure(description: "connect: \(ErrnoValue(errno))")
        }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: metrics\r\nConnection: close\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count
        else { throw Failure(description: "send") }
        var answer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n > 0 {
                answer += chunk[0..<n]
            } else if n == 0 || errno == ECONNRESET {
                break
            } else if errno != EINTR {
                throw Failure(description: "recv: \(ErrnoValue(errno))")
            }
        }
        return String(decoding: answer, as: UTF8.self)
    }
}
