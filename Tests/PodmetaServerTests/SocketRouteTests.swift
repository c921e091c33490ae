import Glibc
import PodmetaCore
import PodmetaState
import PodmetaSystem
import PodmetaTestSupport
import Testing

@testable import PodmetaServer

@Suite struct SocketRouteTests {
    static func pretty(_ value: JSONValue?) -> String {
        JSONRenderer(style: .pretty).string(value ?? .null)
    }

    @Test func snapshotIsThePreRenderedDocument() async throws {
        let server = try await TestServer()
        let response = try server.get("/v1/snapshot")
        #expect(response.status == 200)
        #expect(response.body == server.store.current!.document)
        #expect(response.header("content-type") == "application/json")
        #expect(response.header("etag") == "\"1\"")
        #expect(response.header("x-podmeta-revision") == "1")
        try await server.finish()
    }

    @Test(arguments: PodSnapshot.sectionNames)
    func sections(name: String) async throws {
        let server = try await TestServer()
        let response = try server.get("/v1/\(name)")
        #expect(response.status == 200)
        #expect(response.text == SocketRouteTests.pretty(TestServer.sample.section(name)))
        #expect(response.header("content-length") == String(response.body.count))
        #expect(response.header("etag") == "\"1\"")
        try await server.finish()
    }

    @Test(arguments: [
        ("/v1/labels/app", "app", "web"),
        ("/v1/labels/app.kubernetes.io%2Fname", "app.kubernetes.io/name", "shop"),
        ("/v1/labels/app.kubernetes.io/name", "app.kubernetes.io/name", "shop"),
        ("/v1/labels/tier", "tier", "front end"),
        ("/v1/annotations/example.com%2Fnote", "example.com/note", "multi\nline"),
        ("/v1/annotations/kubernetes.io/config.seen", "kubernetes.io/config.seen", "2024-01-01"),
    ])
    func entries(target: String, key: String, value: String) async throws {
        let server = try await TestServer()
        let json = try server.get(target)
        #expect(json.status == 200)
        #expect(json.header("content-type") == "application/json")
        #expect(json.text == SocketRouteTests.pretty(.object(["key": .string(key), "value": .string(value)])))

        let raw = try server.get(target + "?raw")
        #expect(raw.status == 200)
        #expect(raw.header("content-type") == "text/plain; charset=utf-8")
        #expect(raw.text == value)

        let accepted = try server.get(target, headers: [("Accept", "text/plain")])
        #expect(accepted.text == value)
        let both = try server.get(target, headers: [("Accept", "text/plain, application/json")])
        #expect(both.header("content-type") == "application/json")
        try await server.finish()
    }

    @Test(arguments: [
        "/v1/labels/missing", "/v1/labels/app.kubernetes.io%2Fmissing", "/v1/annotations/app", "/v1/labels/",
    ])
    func absentKeysAre404(target: String) async throws {
        let server = try await TestServer()
        let response = try server.get(target)
        #expect(response.status == 404)
        #expect(response.header("content-type") == "application/json")
        let error = try JSONParser.parse(response.body)["error"]?.stringValue
        #expect(error?.contains("not found") == true)
        #expect(response.header("etag") == "\"1\"")
        try await server.finish()
    }

    @Test(arguments: [
        ("GET", "/nope", 404, nil as String?),
        ("GET", "/v1/pods", 404, nil),
        ("POST", "/v1/pod", 405, "GET, HEAD"),
        ("DELETE", "/v1/labels/app", 405, "GET, HEAD"),
        ("PUT", "/nope", 405, "GET, HEAD"),
        ("GET", "/v1/pod?revision=x", 400, nil),
        ("GET", "/v1/pod?revision=1&wait=30", 400, nil),
        ("GET", "/v1/labels/app?raw=maybe", 400, nil),
        ("GET", "/v1/labels/%zz", 400, nil),
        ("GET", "/v1/watch?revision=-3", 400, nil),
    ])
    func errors(method: String, target: String, status: Int, allow: String?) async throws {
        let server = try await TestServer()
        let response = try server.get(target, method: method)
        #expect(response.status == status)
        #expect(response.header("allow") == allow)
        #expect(response.header("content-type") == "application/json")
        #expect(try JSONParser.parse(response.body)["error"]?.stringValue?.isEmpty == false)
        #expect(response.header("x-podmeta-revision") == "1")
        try await server.finish()
    }

    @Test func beforeTheFirstSnapshotAnswers503() async throws {
        let server = try await TestServer(publish: nil)
        for target in ["/v1/snapshot", "/v1/labels", "/v1/labels/app", "/readyz"] {
            let response = try server.get(target)
            #expect(response.status == 503, "\(target)")
            #expect(response.header("etag") == "\"0\"")
            #expect(try JSONParser.parse(response.body)["error"] != nil)
        }
        #expect(try server.get("/healthz").status == 200)
        server.store.publish(TestServer.sample)
        #expect(try server.get("/v1/labels").status == 200)
        // Published but the outputs not written yet: not ready, and the reason says why.
        server.health.update { $0.degradedReason = "cannot write /run/podmeta/pod.env: no space left" }
        let unready = try server.get("/readyz")
        #expect(unready.status == 503)
        #expect(
            try JSONParser.parse(unready.body)["error"]?.stringValue
                == "not every output has been written yet: cannot write /run/podmeta/pod.env: no space left")
        server.health.update {
            $0.ready = true
            $0.degradedReason = nil
        }
        #expect(try server.get("/readyz").status == 200)
        try await server.finish()
    }

    @Test func health() async throws {
        let server = try await TestServer()
        let alive = try server.get("/healthz")
        #expect(alive.status == 200)
        #expect(try JSONParser.parse(alive.body)["status"]?.stringValue == "alive")
        server.health.update {
            $0.degradedReason = "volume gone"
        }
        let ready = try JSONParser.parse(try server.get("/readyz").body)
        #expect(ready["status"]?.stringValue == "ready")
        #expect(ready["revision"]?.int64Value == 1)
        #expect(ready["degraded"]?.stringValue == "volume gone")
        server.health.update { $0.alive = false }
        #expect(try server.get("/healthz").status == 503)
        try await server.finish()
    }

    @Test func metrics() async throws {
        let server = try await TestServer()
        _ = try server.get("/v1/labels")
        _ = try server.get("/v1/labels/app")
        _ = try server.get("/v1/labels/missing")
        _ = try server.get("/nope")
        _ = try server.get("/v1/pod?wait=soon")
        let response = try server.get("/metrics")
        #expect(response.status == 200)
        #expect(response.header("content-type")?.hasPrefix("text/plain; version=0.0.4") == true)
        let text = response.text
        #expect(text.contains("# TYPE podmeta_socket_requests_total counter"))
        #expect(text.contains(#"podmeta_socket_requests_total{route="/v1/labels",status="200"} 1"#))
        #expect(text.contains(#"podmeta_socket_requests_total{route="/v1/labels/{key}",status="200"} 1"#))
        #expect(text.contains(#"podmeta_socket_requests_total{route="/v1/labels/{key}",status="404"} 1"#))
        #expect(text.contains(#"podmeta_socket_requests_total{route="other",status="404"} 1"#))
        #expect(text.contains(#"podmeta_socket_requests_total{route="/v1/pod",status="400"} 1"#))
        #expect(text.contains("podmeta_socket_connections 1"))
        #expect(text.contains("podmeta_socket_blocking_queries 0"))
        #expect(text.contains("podmeta_socket_watch_streams 0"))
        #expect(text.contains("# TYPE podmeta_socket_connections gauge"))
        try await server.finish()
    }

    @Test func headAnswersHeadersOnlyAndKeepsTheConnectionUsable() async throws {
        let server = try await TestServer()
        let connection = try server.connect()
        connection.send("HEAD /v1/snapshot HTTP/1.1\r\nHost: x\r\n\r\n")
        let head = try connection.readResponse(head: true)
        #expect(head.status == 200)
        #expect(head.header("content-length") == String(server.store.current!.document.count))
        #expect(head.header("etag") == "\"1\"")
        connection.send("GET /v1/pod HTTP/1.1\r\nHost: x\r\n\r\n")
        let next = try connection.readResponse()
        #expect(next.status == 200)
        #expect(next.text == SocketRouteTests.pretty(TestServer.sample.section("pod")))
        try await server.finish()
    }

    @Test func ifNoneMatchGives304UntilTheRevisionChanges() async throws {
        let server = try await TestServer()
        for tag in ["\"1\"", "W/\"1\"", "\"0\", \"1\"", "*"] {
            let response = try server.get("/v1/labels", headers: [("If-None-Match", tag)])
            #expect(response.status == 304, "\(tag)")
            #expect(response.body.isEmpty)
            #expect(response.header("etag") == "\"1\"")
            #expect(response.header("x-podmeta-revision") == "1")
        }
        #expect(try server.get("/v1/labels/app", headers: [("If-None-Match", "\"1\"")]).status == 304)
        #expect(try server.get("/v1/labels", headers: [("If-None-Match", "\"7\"")]).status == 200)
        var changed = TestServer.sample
        changed.labels["version"] = "2"
        server.store.publish(changed)
        let fresh = try server.get("/v1/labels", headers: [("If-None-Match", "\"1\"")])
        #expect(fresh.status == 200)
        #expect(fresh.header("etag") == "\"2\"")
        try await server.finish()
    }

    @Test func keepAliveAndPipelining() async throws {
        let server = try await TestServer()
        let connection = try server.connect()
        connection.send(
            "GET /v1/labels/app?raw HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /v1/labels/tier?raw HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /v1/pod HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /v1/labels/app.kubernetes.io%2Fname?raw HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try connection.readResponse().text == "web")
        #expect(try connection.readResponse().text == "front end")
        #expect(try connection.readResponse().status == 404)
        #expect(try connection.readResponse().status == 200)
        #expect(try connection.readResponse().text == "shop")
        #expect(try connection.readResponse().status == 200)
        connection.send("GET /v1/labels/app?raw HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let last = try connection.readResponse()
        #expect(last.text == "web")
        #expect(last.header("connection") == "close")
        #expect(try connection.waitForClose())
        try await server.finish()
    }

    @Test func http10ClosesUnlessKeptAlive() async throws {
        let server = try await TestServer()
        let connection = try server.connect()
        connection.send("GET /v1/labels/app?raw HTTP/1.0\r\n\r\n")
        let response = try connection.readResponse()
        #expect(response.text == "web")
        #expect(try connection.waitForClose())
        try await server.finish()
    }
}

@Suite struct BackpressureTests {
    func answered(_ server: TestServer) throws -> Int {
        let metrics = try server.get("/metrics").text
        let line = metrics.split(separator: "\n").first {
            $0.hasPrefix(#"podmeta_socket_requests_total{route="/v1/snapshot",status="200"}"#)
        }
        return line.flatMap { Int($0.split(separator: " ").last!) } ?? 0
    }

    @Test func aClientThatPipelinesButNeverReadsIsThrottled() async throws {
        let server = try await TestServer()
        let connection = try server.connect()
        // 2000 pipelined requests (76 KB) for about 1.3 MB of answers that the client does
        // not read: the server must stop answering (and reading) instead of buffering them.
        let count = 2000
        #expect(connection.send(String(repeating: "GET /v1/snapshot HTTP/1.1\r\nHost: x\r\n\r\n", count: count)))
        #expect(await eventually { ((try? answered(server)) ?? 0) > 0 })
        try await Task.sleep(for: .milliseconds(200))
        #expect(try answered(server) < count)
        // Reading the answers lets it go on, in order, to the end.
        for _ in 0..<count {
            let response = try connection.readResponse()
            #expect(response.status == 200)
            #expect(response.body == server.store.current!.document)
        }
        #expect(try answered(server) == count)
        try await server.finish()
    }
}
