import Testing

@testable import PodmetaServer

@Suite struct UnixSocketHTTPClientTests {
    @Test func talksToTheServer() async throws {
        let server = try await TestServer()
        let client = UnixSocketHTTPClient(path: server.path)
        let response = try client.request("/v1/labels/app.kubernetes.io%2Fname?raw")
        #expect(response.status == 200)
        #expect(response.text == "shop")
        #expect(response.header("ETag") == "\"1\"")
        let head = try client.request("/v1/pod", method: "HEAD")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        try await server.finish()
    }

    @Test func aMissingSocketIsUnreachable() {
        do {
            _ = try UnixSocketHTTPClient(path: "/tmp/pmsrv-does-not-exist.sock").request("/healthz")
            Issue.record("connected to nothing")
        } catch {
            #expect(error.kind == .unreachable)
            #expect(error.description.contains("/tmp/pmsrv-does-not-exist.sock"))
        }
    }

    @Test func parsesChunkedAnswers() throws {
        let raw = Array(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: b\r\n\r\n5\r\nhello\r\n1;ext=1\r\n!\r\n0\r\n\r\n"
                .utf8)
        let response = try UnixSocketHTTPClient.parse(raw, isHead: false, path: "p")
        #expect(response.status == 200)
        #expect(response.text == "hello!")
        #expect(response.header("x-a") == "b")
    }

    @Test(arguments: [
        "", "HTTP/1.1 200 OK\r\n", "SMTP 220 hi\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort",
    ])
    func refusesMalformedAnswers(text: String) {
        #expect(throws: UnixSocketHTTPClientError.self) {
            try UnixSocketHTTPClient.parse(Array(text.utf8), isHead: false, path: "p")
        }
    }
}
