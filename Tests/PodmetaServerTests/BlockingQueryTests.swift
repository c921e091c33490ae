import NIOHTTP1
import PodmetaCore
import PodmetaState
import PodmetaSystem
import PodmetaTestSupport
import Testing

@testable import PodmetaServer

@Suite struct BlockingQueryTests {
    static func changed(_ version: String) -> PodSnapshot {
        var snapshot = TestServer.sample
        snapshot.labels["version"] = version
        return snapshot
    }

    @Test(arguments: ["/v1/labels/version?raw", "/v1/labels", "/v1/snapshot", "/v1/pod"])
    func returnsEarlyOnPublish(route: String) async throws {
        let server = try await TestServer()
        let separator = route.contains("?") ? "&" : "?"
        let connection = try server.connect()
        connection.send("GET \(route)\(separator)revision=1&wait=5m HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(await eventually { server.store.waiterCount == 1 })
        server.store.publish(BlockingQueryTests.changed("2"))
        let response = try connection.readResponse()
        #expect(response.status == 200)
        #expect(response.header("x-podmeta-revision") == "2")
        #expect(response.header("etag") == "\"2\"")
        if route.hasPrefix("/v1/labels/version") { #expect(response.text == "2") }
        #expect(server.store.waiterCount == 0)
        try await server.finish()
    }

    /// The query keeps only part of its request head while it waits: the answer still
    /// honours If-None-Match (304 when nothing changed) and Connection: close.
    @Test func theAnswerAfterWaitingHonoursTheRequestHeaders() async throws {
        let server = try await TestServer()
        let connection = try server.connect()
        connection.send(
            "GET /v1/labels?revision=1&wait=200ms HTTP/1.1\r\nHost: x\r\nAccept: */*\r\nIf-None-Match: \"1\"\r\n"
                + "Connection: close\r\n\r\n")
        let response = try connection.readResponse()
        #expect(response.status == 304)
        #expect(response.header("connection") == "close")
        #expect(try connection.waitForClose())
        try await server.finish()
    }

    @Test func theWaitingHeadKeepsOnlyWhatTheAnswerReads() {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "x")
        headers.add(name: "Accept", value: "text/plain")
        headers.add(name: "If-None-Match", value: "\"3\"")
        headers.add(name: "Connection", value: "close")
        let head = HTTPRequestHead(version: .http1_0, method: .HEAD, uri: "/v1/labels?revision=3", headers: headers)
        let kept = BlockingQuery.answerHead(of: head)
        #expect(kept.version == .http1_0)
        #expect(kept.method == .HEAD)
        #expect(kept.uri == head.uri)
        #expect(Array(kept.headers.map(\.name)) == ["If-None-Match", "Connection"])
        #expect(!kept.isKeepAlive)
    }

    @Test func answersTheCurrentStateAtTimeout() async throws {
        let server = try await TestServer()
        let response = try server.get("/v1/labels/app?raw&revision=1&wait=200ms")
        #expect(response.status == 200)
        #expect(response.text == "web")
        #expect(response.header("x-podmeta-revision") == "1")
        #expect(server.store.waiterCount == 0)
        try await server.finish()
    }

    @Test func anOlderRevisionAnswersAtOnce() async throws {
        let server = try await TestServer()
        server.store.publish(BlockingQueryTests.changed("2"))
        server.store.publish(BlockingQueryTests.changed("3"))
        let response = try server.get("/v1/labels/version?raw&revision=1&wait=10m")
        #expect(response.text == "3")
        #expect(response.header("x-podmeta-revision") == "3")
        try await server.finish()
    }

    /// Revisions restart with the agent: a client that saw revision 40 before a restart
    /// gets the current state at once instead of waiting its whole timeout.
    @Test func aRevisionAboveTheCurrentOneAnswersAtOnce() async throws {
        let server = try await TestServer()
        // The client gives up after 10 s, long before the 10 minutes a wait would take.
        let response = try server.get("/v1/labels/app?raw&revision=40&wait=10m")
        #expect(response.status == 200)
        #expect(response.text == "web")
        #expect(response.header("x-podmeta-revision") == "1")
        try await server.finish()
    }

    @Test func waitWithoutRevisionDoesNotBlock() async throws {
        let server = try await TestServer()
        let response = try server.get("/v1/labels/app?raw&wait=10m")
        #expect(response.text == "web")
        try await server.finish()
    }

    @Test func waitsForTheFirstSnapshot() async throws {
        let server = try await TestServer(publish: nil)
        let connection = try server.connect()
        connection.send("GET /v1/labels/app?raw&revision=0&wait=1m HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(await eventually { server.store.waiterCount == 1 })
        server.store.publish(TestServer.sample)
        let response = try connection.readResponse()
        #expect(response.status == 200)
        #expect(response.text == "web")
        try await server.finish()
    }

    @Test func timeoutBeforeAnySnapshotIs503() async throws {
        let server = try await TestServer(publish: nil)
        let response = try server.get("/v1/pod?revision=0&wait=100ms")
        #expect(response.status == 503)
        try await server.finish()
    }

    @Test func aClientThatHangsUpReleasesItsWaiter() async throws {
        let server = try await TestServer()
        do {
            let connection = try server.connect()
            connection.send("GET /v1/pod?revision=1&wait=10m HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(await eventually { server.store.waiterCount == 1 })
        }
        #expect(await eventually { server.store.waiterCount == 0 })
        #expect(await eventually { server.server.connectionCount == 0 })
        try await server.finish()
    }

    @Test func manyConcurrentWaitersAllWake() async throws {
        let server = try await TestServer()
        let connections = try (0..<50).map { _ in try server.connect() }
        for connection in connections {
            connection.send("GET /v1/labels/version?raw&revision=1 HTTP/1.1\r\nHost: x\r\n\r\n")
        }
        #expect(await eventually { server.store.waiterCount == 50 })
        let metrics = try server.get("/metrics").text
        #expect(metrics.contains("podmeta_socket_blocking_queries 50"))
        server.store.publish(BlockingQueryTests.changed("9"))
        for connection in connections {
            #expect(try connection.readResponse().text == "9")
        }
        try await server.finish()
    }
}

@Suite struct WatchStreamTests {
    static func line(_ revision: UInt64, _ snapshot: PodSnapshot) -> String {
        JSONRenderer(style: .compact).string(snapshot.document(revision: revision)) + "\n"
    }

    @Test func ndjsonSendsTheCurrentThenEachRevision() async throws {
        let server = try await TestServer { $0.heartbeatInterval = .seconds(600) }
        let connection = try server.connect()
        connection.send("GET /v1/watch HTTP/1.1\r\nHost: x\r\n\r\n")
        let head = try connection.readStreamHead()
        #expect(head.status == 200)
        #expect(head.header("content-type") == "application/x-ndjson")
        #expect(head.header("transfer-encoding") == "chunked")
        #expect(
            String(decoding: try connection.readChunk()!, as: UTF8.self) == WatchStreamTests.line(1, TestServer.sample))
        for version in 2...4 {
            let snapshot = BlockingQueryTests.changed(String(version))
            #expect(await eventually { server.store.waiterCount == 1 })
            server.store.publish(snapshot)
            let chunk = try connection.readChunk()!
            #expect(String(decoding: chunk, as: UTF8.self) == WatchStreamTests.line(UInt64(version), snapshot))
        }
        #expect(try server.get("/metrics").text.contains("podmeta_socket_watch_streams 1"))
        try await server.finish()
    }

    @Test func heartbeatsAreEmptyLines() async throws {
        let server = try await TestServer { $0.heartbeatInterval = .milliseconds(100) }
        let connection = try server.connect()
        connection.send("GET /v1/watch HTTP/1.1\r\nHost: x\r\n\r\n")
        _ = try connection.readStreamHead()
        _ = try connection.readChunk()
        #expect(try connection.readChunk() == Array("\n".utf8))
        #expect(try connection.readChunk() == Array("\n".utf8))
        try await server.finish()
    }

    @Test func serverSentEvents() async throws {
        let server = try await TestServer { $0.heartbeatInterval = .milliseconds(100) }
        let connection = try server.connect()
        connection.send("GET /v1/watch HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
        let head = try connection.readStreamHead()
        #expect(head.header("content-type") == "text/event-stream")
        let document = JSONRenderer(style: .compact).string(TestServer.sample.document(revision: 1))
        #expect(
            String(decoding: try connection.readChunk()!, as: UTF8.self)
                == "id: 1\nevent: snapshot\ndata: \(document)\n\n")
        #expect(String(decoding: try connection.readChunk()!, as: UTF8.self) == ": heartbeat\n\n")
        try await server.finish()
    }

    @Test(arguments: [("?revision=1", [String]()), ("", ["Last-Event-ID: 1"])])
    func resumesAfterARevision(query: String, headers: [String]) async throws {
        let server = try await TestServer { $0.heartbeatInterval = .seconds(600) }
        let connection = try server.connect()
        let extra = headers.map { $0 + "\r\n" }.joined()
        connection.send("GET /v1/watch\(query) HTTP/1.1\r\nHost: x\r\n\(extra)\r\n")
        _ = try connection.readStreamHead()
        #expect(await eventually { server.store.waiterCount == 1 })
        let next = BlockingQueryTests.changed("2")
        server.store.publish(next)
        let first = String(decoding: try connection.readChunk()!, as: UTF8.self)
        #expect(first.hasSuffix(JSONRenderer(style: .compact).string(next.document(revision: 2)) + "\n"))
        try await server.finish()
    }

    /// A client resuming after a revision from before a restart starts over with the
    /// current document instead of waiting for the revision to pass its old one.
    @Test func resumingAfterARevisionAboveStartsOver() async throws {
        let server = try await TestServer { $0.heartbeatInterval = .seconds(600) }
        let connection = try server.connect()
        connection.send("GET /v1/watch HTTP/1.1\r\nHost: x\r\nLast-Event-ID: 40\r\n\r\n")
        _ = try connection.readStreamHead()
        #expect(
            String(decoding: try connection.readChunk()!, as: UTF8.self) == WatchStreamTests.line(1, TestServer.sample))
        try await server.finish()
    }

    @Test func waitsForTheFirstSnapshot() async throws {
        let server = try await TestServer(publish: nil) { $0.heartbeatInterval = .seconds(600) }
        let connection = try server.connect()
        connection.send("GET /v1/watch HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try connection.readStreamHead().status == 200)
        #expect(await eventually { server.store.waiterCount == 1 })
        server.store.publish(TestServer.sample)
        #expect(
            String(decoding: try connection.readChunk()!, as: UTF8.self) == WatchStreamTests.line(1, TestServer.sample))
        try await server.finish()
    }

    @Test func headOfAWatchHasNoBody() async throws {
        let server = try await TestServer()
        let connection = try server.connect()
        connection.send("HEAD /v1/watch HTTP/1.1\r\nHost: x\r\n\r\n")
        let head = try connection.readStreamHead()
        #expect(head.status == 200)
        #expect(head.header("content-type") == "application/x-ndjson")
        #expect(try connection.readToEnd().isEmpty)
        try await server.finish()
    }

    @Test func aStreamEndsAtShutdown() async throws {
        let server = try await TestServer { $0.heartbeatInterval = .seconds(600) }
        let connection = try server.connect()
        connection.send("GET /v1/watch HTTP/1.1\r\nHost: x\r\n\r\n")
        _ = try connection.readStreamHead()
        _ = try connection.readChunk()
        try await server.stop()
        #expect(try connection.readChunk() == nil)
        #expect(try connection.waitForClose())
        Files.removeTree(server.directory)
    }
}
