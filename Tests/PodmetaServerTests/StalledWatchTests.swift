import PodmetaCore
import PodmetaTestSupport
import Testing

@testable import PodmetaServer

/// A `/v1/watch` client that stops reading must cost only itself.
@Suite struct StalledWatchTests {
    /// A document far larger than the socket's buffer: its write never completes while the
    /// client does not read.
    static let huge: PodSnapshot = {
        var snapshot = TestServer.sample
        snapshot.annotations["example.com/huge"] = String(repeating: "x", count: 250 * 1024)
        return snapshot
    }()

    static let watchRequest = "GET /v1/watch HTTP/1.1\r\nHost: x\r\n\r\n"

    /// Before, the heartbeat re-armed itself at a time already past while the frame was
    /// unwritten: the event loop spun and `/healthz` never answered again.
    @Test func theSocketKeepsAnsweringWhileAWatchClientStalls() async throws {
        let server = try await TestServer(publish: StalledWatchTests.huge) {
            $0.heartbeatInterval = .milliseconds(50)
            $0.shutdownGracePeriod = .milliseconds(100)
        }
        let stalled = try server.connect()
        stalled.send(StalledWatchTests.watchRequest)
        // Several heartbeat intervals pass with the frame unwritten.
        #expect(await eventually { server.server.connectionCount == 1 })
        try await Task.sleep(for: .milliseconds(300))
        let health = try #require(try? server.get("/healthz"), "the socket stopped answering")
        #expect(health.status == 200)
        for version in 2...5 {
            var next = StalledWatchTests.huge
            next.labels["version"] = String(version)
            server.store.publish(next)
        }
        #expect(try server.get("/v1/labels/version?raw").text == "5")
        _ = stalled
        try await server.finish()
    }

    @Test func aStalledWatchClientIsCutOff() async throws {
        let server = try await TestServer(publish: StalledWatchTests.huge) {
            $0.heartbeatInterval = .milliseconds(50)
            $0.stalledWriteTimeout = .milliseconds(300)
        }
        let stalled = try server.connect()
        stalled.send(StalledWatchTests.watchRequest)
        let cutOff = #"podmeta_socket_connections_rejected_total{reason="stalled"} 1"#
        #expect(await eventually { (try? server.get("/metrics").text)?.contains(cutOff) == true })
        #expect(await eventually { server.server.connectionCount == 0 })
        #expect(server.store.waiterCount == 0)
        // What it had not read is lost; it sees the end of the stream, not a hang.
        #expect(try stalled.readToEnd().count < 250 * 1024 + 1024)
        try await server.finish()
    }

    /// A watch client that reads slowly but does read keeps its stream.
    @Test func aSlowButReadingClientKeepsItsStream() async throws {
        let server = try await TestServer(publish: StalledWatchTests.huge) {
            $0.heartbeatInterval = .seconds(600)
            $0.stalledWriteTimeout = .seconds(60)
        }
        let connection = try server.connect()
        connection.send(StalledWatchTests.watchRequest)
        _ = try connection.readStreamHead()
        try await Task.sleep(for: .milliseconds(200))
        let first = try #require(try connection.readChunk())
        #expect(first.count > 250 * 1024)
        #expect(server.server.connectionCount == 1)
        try await server.finish()
    }
}
