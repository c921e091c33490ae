import Glibc
import PodmetaCore
import PodmetaProcess
import PodmetaSystem
import PodmetaTestSupport
import Testing

@testable import PodmetaIO

/// Webhook and signal hooks end to end: `podmeta agent` as a process, a real HTTP server on
/// loopback (Python's http.server, failing its first requests), real processes to signal.
extension AgentIntegrationTests {
    @Suite(
        .enabled(if: PodmetaBinary.path != nil && ReloadScenarios.python != nil, "\(PodmetaBinary.missing) and python3")
    )
    struct ReloadHookTests {
        @Test func aWebhookIsRetriedWithBackoffUntilTheServerAnswers() async {
            await #expect(processExitsWith: .success) { await inChild { try await ReloadScenarios.webhookRetries() } }
        }

        @Test func theLastChangeIsAlwaysDeliveredThroughFailures() async {
            await #expect(processExitsWith: .success) { await inChild { try await ReloadScenarios.webhookBurst() } }
        }

        @Test func aWebhookReachesAUnixSocket() async {
            await #expect(processExitsWith: .success) { await inChild { try await ReloadScenarios.webhookUnix() } }
        }

        @Test func aSignalHookSignalsTheMatchingProcess() async {
            await #expect(processExitsWith: .success) { await inChild { try await ReloadScenarios.signalProcess() } }
        }

        @Test func aSignalHookRefusesSeveralMatchesAndReportsNone() async {
            await #expect(processExitsWith: .success) { await inChild { try await ReloadScenarios.signalErrors() } }
        }

        @Test func aRemoteWebhookIsRefusedAtStart() async throws {
            let (status, _, stderr) = try await PodmetaRun.run([
                "agent", "--volume", "/nonexistent", "--output", "/tmp/x.json", "--webhook", "http://10.0.0.1/reload",
            ])
            #expect(status == .exited(2), "\(status); stderr: \(stderr)")
            #expect(stderr.contains("--webhook-allow-remote"), "stderr: \(stderr)")
        }
    }
}

enum ReloadScenarios {
    static let python: String? = ["/usr/bin/python3", "/usr/local/bin/python3"].first { access($0, X_OK) == 0 }

    static var serverScript: String {
        var root = #filePath
        for _ in 0..<2 { root = PathNames.directory(of: root) }
        return root + "/fixtures/flaky-webhook.py"
    }

    /// The flaky server, and the port it listens on (0 for a Unix socket).
    static func startServer(log: String, failures: Int, unix: String? = nil, in directory: TemporaryDirectory)
        async throws -> (ChildProcess, Int)
    {
        let portFile = directory.sub("port")
        let spec = ProcessSpec(
            command: .argv(
                [python!, serverScript, log, portFile, "\(failures)"] + (unix.map { ["--unix", $0] } ?? [])),
            environment: ["PATH": "/usr/bin:/bin"], standardOutput: .discard, standardError: .capture)
        let server = try ProcessSpawner().spawn(spec)
        try await waitUntil("the webhook server to listen") { server.exitStatus != nil || Files.exists(portFile) }
        #expect(server.exitStatus == nil, "the server exited: \(String(describing: server.exitStatus))")
        return (server, Int(Files.readText(portFile) ?? "") ?? 0)
    }

    /// Every request the server received, in order.
    static func requests(_ log: String) -> [JSONValue] {
        (Files.readText(log) ?? "").split(separator: "\n").compactMap { try? JSONParser.parse(Array($0.utf8)) }
    }

    static func writeLabels(_ root: String, _ labels: [String: String]) throws {
        try KubeletVolumeWriter(root: root).write(["labels": mapFile(labels), "name": Array("web-0".utf8)])
    }

    /// Runs `body` with an agent started with `arguments`, then stops it (also on failure)
    /// and returns its stderr.
    static func withAgent(
        _ arguments: [String], root: String, output: String, _ body: (PodmetaRun) async throws -> Void
    ) async throws -> String {
        let agent = try PodmetaRun.start(
            ["agent", "--volume", root, "--item", "labels=metadata.labels", "--output", output] + arguments)
        do {
            try await waitUntil("the agent to publish") {
                agent.child.exitStatus != nil || PublishedDocument.current(output) != nil
            }
            #expect(agent.child.exitStatus == nil, "the agent exited early")
            try await body(agent)
        } catch {
            await agent.child.terminate(grace: .seconds(2))
            let (_, _, stderr) = await agent.finish()
            Issue.record("agent stderr: \(stderr)")
            throw error
        }
        agent.child.signal(.terminate)
        let (status, _, stderr) = await agent.finish()
        #expect(status == .exited(0), "\(status); stderr: \(stderr)")
        return stderr
    }

    static func webhookRetries() async throws {
        let directory = TemporaryDirectory("podmeta-webhook")
        let root = try CommandScenarios.volume(in: directory)
        let log = directory.sub("requests.log")
        let (server, port) = try await startServer(log: log, failures: 2, in: directory)
        defer { _ = server.signal(.kill) }
        let config = directory.sub("podmeta.json")
        Files.write(
            config,
            """
            {"hooks": [{"name": "reload", "url": "http://127.0.0.1:\(port)/-/reload?x=1", "method": "PUT",
                        "headers": {"X-Token": "s3cret"}, "on": ["labels/version"], "retries": 4,
                        "backoff": "100ms:1s", "timeout": "2s"}]}
            """)
        let stderr = try await withAgent(["--config", config], root: root, output: directory.sub("pod.json")) { _ in
            // Not a watched key: no request.
            try writeLabels(root, ["app": "api", "version": "1"])
            try await waitUntil("app=api published") {
                PublishedDocument.current(directory.sub("pod.json"))?.labels["app"] == "api"
            }
            try writeLabels(root, ["app": "api", "version": "2"])
            try await waitUntil("a delivery the server accepted") {
                requests(log).contains { $0["status"]?.int64Value == 200 }
            }
        }
        let seen = requests(log)
        #expect(seen.map { $0["status"]?.int64Value } == [503, 503, 200], "requests: \(seen)")
        let last = try #require(seen.last)
        #expect(last["method"]?.stringValue == "PUT")
        #expect(last["path"]?.stringValue == "/-/reload?x=1")
        #expect(last["headers"]?["X-Token"]?.stringValue == "s3cret")
        #expect(last["headers"]?["Content-Type"]?.stringValue == "application/json")
        // Everything since the hook's baseline (the app change too), once a watched key fired it.
        let changes = last["body"]?["changes"]?.arrayValue ?? []
        #expect(
            changes.contains { $0["key"]?.stringValue == "version" && $0["new"]?.stringValue == "2" },
            "body: \(String(describing: last["body"]))")
        #expect(last["body"]?["snapshot"]?["labels"]?["version"]?.stringValue == "2")
        // The same document each time: retries resend, they do not rebuild.
        #expect(Set(seen.map { $0["body"]?["revision"]?.int64Value }).count == 1)
        // Backoff: the second gap is about twice the first (100 ms then 200 ms, minus jitter).
        let times = seen.compactMap { $0["time"]?.doubleValue }
        #expect(times.count == 3 && times[1] - times[0] >= 0.04 && times[2] - times[1] >= 0.09, "times: \(times)")
        #expect(stderr.contains("hook succeeded") && stderr.contains("attempts=3"), "stderr: \(stderr)")
    }

    static func webhookBurst() async throws {
        let directory = TemporaryDirectory("podmeta-webhook")
        let root = try CommandScenarios.volume(in: directory)
        let log = directory.sub("requests.log")
        // Fails long enough that the burst lands while the first run is retrying.
        let (server, port) = try await startServer(log: log, failures: 3, in: directory)
        defer { _ = server.signal(.kill) }
        _ = try await withAgent(
            ["--webhook", "http://localhost:\(port)/hook"], root: root, output: directory.sub("pod.json")
        ) { _ in
            for version in 2...6 {
                try writeLabels(root, ["app": "web", "version": "\(version)"])
                try await Task.sleep(for: .milliseconds(150))
            }
            try await waitUntil("the latest version delivered") {
                requests(log).last { $0["status"]?.int64Value == 200 }?["body"]?["snapshot"]?["labels"]?["version"]?
                    .stringValue == "6"
            }
        }
        let delivered = requests(log).filter { $0["status"]?.int64Value == 200 }
        // Every change since the last acknowledged delivery is in the one that got through.
        let first = try #require(delivered.first)
        let change = first["body"]?["changes"]?.arrayValue?.first { $0["key"]?.stringValue == "version" }
        #expect(change?["old"]?.stringValue == "1", "first delivery: \(first)")
        #expect(delivered.last?["body"]?["snapshot"]?["labels"]?["version"]?.stringValue == "6")
    }

    static func webhookUnix() async throws {
        let directory = TemporaryDirectory("podmeta-webhook")
        let root = try CommandScenarios.volume(in: directory)
        let log = directory.sub("requests.log")
        let socket = directory.sub("app.sock")
        let (server, _) = try await startServer(log: log, failures: 0, unix: socket, in: directory)
        defer { _ = server.signal(.kill) }
        let encoded = socket.replacingSlashes()
        _ = try await withAgent(
            ["--webhook", "http+unix://\(encoded)/reload"], root: root, output: directory.sub("pod.json")
        ) { _ in
            try writeLabels(root, ["app": "web", "version": "2"])
            try await waitUntil("a delivery") { !requests(log).isEmpty }
        }
        #expect(requests(log).first?["path"]?.stringValue == "/reload")
        #expect(requests(log).first?["method"]?.stringValue == "POST")
    }

    /// A shell that appends a line to `file` on each SIGHUP; `token` makes its command line unique.
    static func startTarget(token: String, file: String) throws -> ChildProcess {
        let script = "trap 'echo hup >> \(file)' HUP; : > \(file).ready; while :; do sleep 0.05; done"
        return try ProcessSpawner().spawn(
            ProcessSpec(command: .argv(["/bin/sh", "-c", script, token]), environment: ["PATH": "/usr/bin:/bin"]))
    }

    static func signalProcess() async throws {
        let directory = TemporaryDirectory("podmeta-signal")
        let root = try CommandScenarios.volume(in: directory)
        let token = "podmeta-target-\(getpid())"
        let hups = directory.sub("hups")
        let target = try startTarget(token: token, file: hups)
        defer { _ = target.signalGroup(.kill) }
        try await waitUntil("the target to trap SIGHUP") { Files.exists(hups + ".ready") }
        let stderr = try await withAgent(
            ["--signal", "/\(token)/=HUP"], root: root, output: directory.sub("pod.json")
        ) { _ in
            try writeLabels(root, ["app": "web", "version": "2"])
            try await waitUntil("the target to get SIGHUP") { Files.readText(hups) == "hup\n" }
        }
        #expect(stderr.contains("sent SIGHUP to pid \(target.pid)"), "stderr: \(stderr)")
        #expect(target.exitStatus == nil, "the target died of the signal")
    }

    static func signalErrors() async throws {
        let directory = TemporaryDirectory("podmeta-signal")
        let root = try CommandScenarios.volume(in: directory)
        let token = "podmeta-twins-\(getpid())"
        let hups = directory.sub("hups")
        let twins = [try startTarget(token: token, file: hups), try startTarget(token: token, file: hups)]
        defer { for twin in twins { _ = twin.signalGroup(.kill) } }
        try await waitUntil("the targets to trap SIGHUP") { Files.exists(hups + ".ready") }
        let config = directory.sub("podmeta.json")
        Files.write(
            config,
            """
            {"hooks": [{"name": "twins", "signal": {"process": "/\(token)/", "signal": "HUP"}},
                       {"name": "nobody", "signal": {"process": "no-such-process-\(getpid())"}}]}
            """)
        let stderr = try await withAgent(["--config", config], root: root, output: directory.sub("pod.json")) { _ in
            try writeLabels(root, ["app": "web", "version": "2"])
            try await waitUntil("version 2 published") {
                PublishedDocument.current(directory.sub("pod.json"))?.labels["version"] == "2"
            }
            // Both hooks fail at once (a /proc scan); their log lines are read after the stop.
            try await Task.sleep(for: .seconds(1))
        }
        #expect(Files.readText(hups) == nil, "a target was signalled although two matched")
        #expect(stderr.contains("2 processes match") && stderr.contains("signalled none"), "stderr: \(stderr)")
        #expect(stderr.contains("no process matches") && stderr.contains("shareProcessNamespace"), "stderr: \(stderr)")
    }
}

extension String {
    /// `/` as `%2F`, for an http+unix URL's host part.
    fileprivate func replacingSlashes() -> String {
        split(separator: "/", omittingEmptySubsequences: false).joined(separator: "%2F")
    }
}
