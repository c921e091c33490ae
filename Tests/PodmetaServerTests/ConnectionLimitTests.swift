import Glibc
import PodmetaCore
import PodmetaSystem
import PodmetaTestSupport
import Testing

@testable import PodmetaServer

@Suite struct ConnectionLimitTests {
    @Test(arguments: [8200, 9000, 20000, 100_000])
    func oversizedHeadersGet431(size: Int) async throws {
        let server = try await TestServer()
        let connection = try server.connect()
        let filler = String(repeating: "a", count: size)
        connection.send("GET /v1/pod HTTP/1.1\r\nHost: x\r\nX-Filler: \(filler)\r\n\r\n")
        let response = try connection.readResponse()
        #expect(response.status == 431)
        #expect(try JSONParser.parse(response.body)["error"] != nil)
        #expect(try connection.waitForClose())
        try await server.finish()
    }

    @Test func headersJustUnderTheLimitAreFine() async throws {
        let server = try await TestServer()
        let connection = try server.connect()
        let prefix = "GET /v1/pod HTTP/1.1\r\nHost: x\r\nX-Filler: "
        let filler = String(repeating: "a", count: 8192 - prefix.utf8.count - 4)
        connection.send(prefix + filler + "\r\n\r\n")
        #expect(try connection.readResponse().status == 200)
        try await server.finish()
    }

    @Test func anIncompleteHeadOverTheLimitIsCutOff() async throws {
        let server = try await TestServer()
        let connection = try server.connect()
        connection.send("GET /v1/pod HTTP/1.1\r\nX-Filler: " + String(repeating: "b", count: 9000))
        let response = try connection.readResponse()
        #expect(response.status == 431)
        #expect(try connection.waitForClose())
        try await server.finish()
    }

    @Test(arguments: [
        "GET /v1/pod HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
        "GET /v1/pod HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    ])
    func bodiesGet413(request: String) async throws {
        let server = try await TestServer()
        let connection = try server.connect()
        connection.send(request)
        let response = try connection.readResponse()
        #expect(response.status == 413)
        #expect(response.header("connection") == "close")
        #expect(try connection.waitForClose())
        try await server.finish()
    }

    /// The method is checked first: a POST with a body is the wrong method, not too large.
    @Test(arguments: [
        "POST /v1/pod HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
        "PUT /v1/labels/app HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    ])
    func aBodyWithAnotherMethodGets405(request: String) async throws {
        let server = try await TestServer()
        let connection = try server.connect()
        connection.send(request)
        let response = try connection.readResponse()
        #expect(response.status == 405)
        #expect(response.header("allow") == "GET, HEAD")
        #expect(response.header("connection") == "close")
        #expect(try connection.waitForClose())
        try await server.finish()
    }

    @Test func anEmptyContentLengthIsNoBody() async throws {
        let server = try await TestServer()
        #expect(try server.get("/v1/pod", headers: [("Content-Length", "0")]).status == 200)
        try await server.finish()
    }

    @Test func garbageGets400() async throws {
        let server = try await TestServer()
        let connection = try server.connect()
        connection.send("THIS IS NOT HTTP\r\n\r\n")
        let response = try connection.readResponse()
        #expect(response.status == 400)
        #expect(try connection.waitForClose())
        try await server.finish()
    }

    @Test func aSlowClientIsCutOffAfterTheHeaderTimeout() async throws {
        let server = try await TestServer { $0.headerTimeout = .seconds(1) }
        let connection = try server.connect()
        let request = Array(
            "GET /v1/pod HTTP/1.1\r\nHost: x\r\nX-Slow: 0123456789012345678901234567890123456789\r\n\r\n".utf8)
        var sent = 0
        // One byte every 250 ms: the whole head would take ~20 s; the server must give up first.
        while sent < request.count, connection.send([request[sent]]) {
            sent += 1
            try await Task.sleep(for: .milliseconds(250))
            if try server.get("/metrics").text.contains(#"podmeta_socket_requests_total{route="other",status="408"} 1"#)
            {
                break
            }
        }
        #expect(sent < request.count)
        let rest = String(decoding: try connection.readToEnd(), as: UTF8.self)
        #expect(rest.hasPrefix("HTTP/1.1 408"))
        try await server.finish()
    }

    @Test func idleConnectionsAreClosed() async throws {
        let server = try await TestServer { $0.idleTimeout = .milliseconds(200) }
        let connection = try server.connect()
        connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try connection.readResponse().status == 200)
        #expect(try connection.waitForClose())
        let silent = try server.connect()
        #expect(try silent.readToEnd().isEmpty)
        try await server.finish()
    }

    @Test func aBlockingQueryIsNotIdle() async throws {
        let server = try await TestServer { $0.idleTimeout = .milliseconds(100) }
        let response = try server.get("/v1/labels/app?raw&revision=1&wait=500ms")
        #expect(response.status == 200)
        #expect(response.text == "web")
        try await server.finish()
    }

    @Test func theConnectionCapAnswers503() async throws {
        let server = try await TestServer { $0.maxConnections = 2 }
        let first = try server.connect()
        let second = try server.connect()
        for connection in [first, second] {
            connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try connection.readResponse().status == 200)
        }
        let third = try server.connect()
        third.send("GET /v1/pod HTTP/1.1\r\nHost: x\r\n\r\n")
        let refused = try third.readResponse()
        #expect(refused.status == 503)
        #expect(try JSONParser.parse(refused.body)["error"]?.stringValue?.contains("too many connections") == true)
        #expect(try third.waitForClose())

        first.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        _ = try first.readResponse()
        #expect(try first.waitForClose())
        #expect(await eventually { server.server.connectionCount == 1 })
        let fourth = try server.connect()
        fourth.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        let metrics = try fourth.readResponse()
        #expect(metrics.status == 200)
        #expect(metrics.text.contains(#"podmeta_socket_connections_rejected_total{reason="limit"} 1"#))
        try await server.finish()
    }

    /// Health checks are answered beyond the cap: other clients' idle connections must not
    /// make the agent's probes fail (`podmeta health` is a kubelet exec probe).
    @Test func healthAndReadinessAnswerBeyondTheCap() async throws {
        let server = try await TestServer {
            $0.maxConnections = 4
            // The idle connections beyond the cap stay for the whole test, however slow.
            $0.headerTimeout = .seconds(600)
        }
        let idle = try (0..<6).map { _ in try server.connect() }
        #expect(await eventually { server.server.connectionCount == 6 })
        for path in ["/healthz", "/readyz"] {
            let response = try server.get(path)
            #expect(response.status == 200, "\(path): \(response.text)")
            #expect(response.header("connection") == "close")
        }
        #expect(try server.get("/v1/pod").status == 503)
        #expect(idle.count == 6)
        try await server.finish()
    }

    /// A connection beyond the cap that sends nothing gives its slot back after the header
    /// timeout, not after the idle timeout.
    @Test func aSilentConnectionBeyondTheCapLeavesSoon() async throws {
        let server = try await TestServer {
            $0.maxConnections = 1
            $0.headerTimeout = .milliseconds(200)
            $0.idleTimeout = .seconds(60)
        }
        let first = try server.connect()
        first.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try first.readResponse().status == 200)
        let extra = try server.connect()
        #expect(try extra.readToEnd().isEmpty)
        try await server.finish()
    }

    @Test func peersWithAnotherUIDAreRefused() async throws {
        let server = try await TestServer { $0.allowedUIDs = [getuid() &+ 4242] }
        let response = try server.get("/v1/pod")
        #expect(response.status == 403)
        #expect(response.header("connection") == "close")
        try await server.finish()
    }

    @Test func peersWithAnAllowedUIDAreServed() async throws {
        let server = try await TestServer { $0.allowedUIDs = [getuid()] }
        #expect(try server.get("/v1/pod").status == 200)
        try await server.finish()
    }
}
