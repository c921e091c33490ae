import NIOHTTP1
import Testing

@testable import PodmetaServer

@Suite struct RequestTargetTests {
    @Test(arguments: [
        ("/v1/labels", "/v1/labels"),
        ("/v1/labels/app.kubernetes.io%2Fname", "/v1/labels/app.kubernetes.io/name"),
        ("/v1/labels/app.kubernetes.io/name", "/v1/labels/app.kubernetes.io/name"),
        ("/v1/labels/a%20b", "/v1/labels/a b"),
        ("/v1/labels/a+b", "/v1/labels/a+b"),
        ("/v1/labels/caf%C3%A9", "/v1/labels/café"),
        ("http://localhost/v1/pod?x=1", "/v1/pod"),
        ("/v1/pod#frag", "/v1/pod"),
    ])
    func decodesPaths(uri: String, path: String) throws {
        #expect(try RequestTarget(uri: uri).path == path)
    }

    @Test(arguments: ["/v1/labels/%zz", "/v1/labels/%4", "/v1/labels/%FF", "v1/labels", "*"])
    func refusesBadTargets(uri: String) {
        #expect(throws: RequestError.self) { try RequestTarget(uri: uri) }
    }

    @Test func parsesQueries() throws {
        let target = try RequestTarget(uri: "/v1/pod?revision=3&wait=1m%2030s&raw&revision=4")
        #expect(target.parameter("revision") == .some("4"))
        #expect(target.parameter("wait") == .some("1m 30s"))
        #expect(target.parameter("raw") == .some(nil))
        #expect(target.parameter("other") == nil)
    }
}

@Suite struct QueryOptionsTests {
    func options(_ uri: String) throws(RequestError) -> QueryOptions {
        try QueryOptions(target: RequestTarget(uri: uri), defaultWait: .seconds(300), maxWait: .seconds(600))
    }

    @Test func defaults() throws {
        let parsed = try options("/v1/pod")
        #expect(parsed.revision == nil)
        #expect(parsed.wait == .seconds(300))
        #expect(parsed.raw == false)
    }

    @Test func clampsWait() throws {
        #expect(try options("/v1/pod?wait=1h").wait == .seconds(600))
        #expect(try options("/v1/pod?wait=1m30s&revision=7").wait == .seconds(90))
        #expect(try options("/v1/pod?revision=7").revision == 7)
    }

    @Test(arguments: [
        ("?raw", true), ("?raw=1", true), ("?raw=true", true), ("?raw=0", false), ("?raw=false", false), ("", false),
    ])
    func raw(query: String, expected: Bool) throws {
        #expect(try options("/v1/labels/app" + query).raw == expected)
    }

    @Test(arguments: ["?revision=-1", "?revision=abc", "?revision", "?wait=30", "?wait=soon", "?wait", "?raw=maybe"])
    func refuses(query: String) {
        #expect(throws: RequestError.self) { try options("/v1/pod" + query) }
    }
}

@Suite struct RouteTests {
    @Test(arguments: [
        ("/v1/snapshot", Route.snapshot),
        ("/v1/pod", .section("pod")),
        ("/v1/labels", .section("labels")),
        ("/v1/annotations", .section("annotations")),
        ("/v1/resources", .section("resources")),
        ("/v1/env", .section("env")),
        ("/v1/labels/app", .entry(section: "labels", key: "app")),
        ("/v1/labels/app.kubernetes.io/name", .entry(section: "labels", key: "app.kubernetes.io/name")),
        ("/v1/annotations/example.com/note", .entry(section: "annotations", key: "example.com/note")),
        ("/v1/watch", .watch),
        ("/healthz", .health),
        ("/readyz", .readiness),
        ("/metrics", .metrics),
    ])
    func matches(path: String, route: Route) {
        #expect(Route(path: path) == route)
    }

    @Test(arguments: ["/", "/v1", "/v1/", "/v1/pods", "/v1/pod/name", "/v1/env/POD_NAME", "/v2/pod", "/v1/snapshot/"])
    func unknown(path: String) {
        #expect(Route(path: path) == nil)
    }

    @Test func metricLabelsNeverContainKeys() {
        #expect(Route.entry(section: "labels", key: "secret").metricLabel == "/v1/labels/{key}")
    }

    @Test func headSizeCountsRequestLineAndHeaders() {
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/v1/pod")
        head.headers.add(name: "Host", value: "x")
        // "GET /v1/pod HTTP/1.1\r\n" (22) + "Host: x\r\n" (9) + "\r\n" (2)
        #expect(HTTPConnectionHandler.headSize(head) == 33)
    }
}
