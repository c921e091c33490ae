import Testing

@testable import PodmetaWebhook

/// Serialized: cheap cases, and the test process already runs hundreds of tests at once.
@Suite(.serialized) struct WebhookTargetTests {
    @Test(arguments: [
        (
            "http://localhost:9090/-/reload", WebhookTarget.Endpoint.host("localhost", port: 9090), "/-/reload",
            "localhost:9090"
        ),
        ("http://127.0.0.1/", .host("127.0.0.1", port: 80), "/", "127.0.0.1"),
        ("http://127.9.8.7:1", .host("127.9.8.7", port: 1), "/", "127.9.8.7:1"),
        ("http://[::1]:8080/a?b=c", .host("::1", port: 8080), "/a?b=c", "[::1]:8080"),
        ("http://[0:0:0:0:0:0:0:1]/x", .host("0:0:0:0:0:0:0:1", port: 80), "/x", "[0:0:0:0:0:0:0:1]"),
        ("http://LOCALHOST:80?q", .host("localhost", port: 80), "/?q", "localhost"),
        ("http+unix://%2Frun%2Fapp.sock/reload", .unixSocket(path: "/run/app.sock"), "/reload", "localhost"),
    ])
    func parsesLocalTargets(url: String, endpoint: WebhookTarget.Endpoint, path: String, host: String) throws {
        let target = try WebhookTarget(parsing: url)
        #expect(target.endpoint == endpoint)
        #expect(target.path == path)
        #expect(target.hostHeader == host)
    }

    @Test(arguments: [
        ("http://10.0.0.1/reload", "--webhook-allow-remote"), ("http://example.com/", "--webhook-allow-remote"),
        ("http://128.0.0.1/", "--webhook-allow-remote"), ("http://[::2]/", "--webhook-allow-remote"),
        ("http://[::ffff:127.0.0.1]/", "--webhook-allow-remote"), ("https://localhost/", "https"),
        ("ftp://localhost/", "must start with http://"), ("http://localhost:0/", "invalid port"),
        ("http://localhost:99999/", "invalid port"), ("http:///x", "no host"), ("http://u:p@localhost/", "user"),
        ("http://localhost/a b", "space"), ("http+unix://run.sock/x", "absolute socket path"),
        ("http://[::1/", "unclosed"),
    ])
    func refuses(url: String, fragment: String) {
        #expect {
            try WebhookTarget(parsing: url)
        } throws: { error in
            "\(error)".contains(fragment)
        }
    }

    @Test func aRemoteHostNeedsTheOptIn() throws {
        let target = try WebhookTarget(parsing: "http://reloader.tools.svc:8080/hook", allowRemote: true)
        #expect(target.endpoint == .host("reloader.tools.svc", port: 8080))
    }
}
