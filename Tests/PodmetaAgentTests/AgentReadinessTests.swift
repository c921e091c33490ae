import PodmetaCore
import PodmetaProcess
import PodmetaServer
import PodmetaTestSupport
import Testing

@testable import PodmetaIO

extension AgentIntegrationTests {
    /// `/readyz` is what a native sidecar's startup probe (and `podmeta health --ready`)
    /// asks before the app container starts: a 200 must mean every output is on disk.
    @Suite(.enabled(if: PodmetaBinary.path != nil, "\(PodmetaBinary.missing)"))
    struct ReadinessTests {
        /// Starts the agent again and again and polls `/readyz` as fast as one client can,
        /// from the moment the socket accepts: the first 200 must find the JSON file, the
        /// env file and the rendered template all present. The window, when there was one,
        /// lasted well under a millisecond, so one start proves little; many do.
        @Test func readyzNeverAnswers200BeforeEveryOutputIsWritten() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await ReadinessScenarios.pollReadinessOnStart(starts: 30) }
            }
        }

        /// An output that cannot be written keeps the agent unready (with the reason), and
        /// it becomes ready as soon as the write succeeds.
        @Test func anOutputThatCannotBeWrittenKeepsTheAgentUnready() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await ReadinessScenarios.unwritableOutput() }
            }
        }
    }
}

enum ReadinessScenarios {
    /// What one start showed: how many polls answered "not ready" before the first 200, and
    /// the outputs missing at that 200 (with how long after it they all appeared).
    struct Start: Sendable {
        var notReadyAnswers = 0
        var missingAtFirst200: [String] = []
        var appearedAfter: Duration?
    }

    static func pollReadinessOnStart(starts: Int) async throws {
        let directory = TemporaryDirectory("podmeta-readiness")
        let root = try CommandScenarios.volume(in: directory)
        let template = directory.sub("app.tmpl")
        Files.write(template, "app={{labels.app}}\n")
        var results: [Start] = []
        for index in 1...starts {
            let run = directory.sub("start-\(index)")
            Files.mkdir(run)
            let outputs = [run + "/pod.json", run + "/pod.env", run + "/app.conf"]
            let socket = run + "/podmeta.sock"
            let agent = try PodmetaRun.start([
                "agent", "--volume", root, "--item", "labels=metadata.labels", "--item", "name=metadata.name",
                "--output", outputs[0], "--env-file", outputs[1], "--template", "\(template):\(outputs[2])",
                "--socket", socket,
            ])
            let result: Start
            do {
                result = try await onThread { [child = agent.child] in
                    try poll(socket: socket, outputs: outputs, while: { child.exitStatus == nil })
                }
            } catch {
                await agent.child.terminate(grace: .seconds(2))
                throw error
            }
            results.append(result)
            #expect(agent.child.signal(.terminate))
            let (status, _, stderr) = await agent.finish()
            #expect(status == .exited(0), "\(status); stderr: \(stderr)")
        }
        let early = results.enumerated().filter { !$0.element.missingAtFirst200.isEmpty }
        let polled = results.filter { $0.notReadyAnswers > 0 }.count
        let report = early.map { index, start in
            "start \(index + 1): 200 while \(start.missingAtFirst200.joined(separator: ", ")) missing, "
                + "all present \(start.appearedAfter.map { "\($0)" } ?? "never") later"
        }
        #expect(
            early.isEmpty,
            """
            /readyz answered 200 before every output existed in \(early.count) of \(starts) starts \
            (\(polled) starts answered 503 at least once before their first 200):
            \(report.joined(separator: "\n"))
            """)
        // The test can only fail if it polled while the agent was not ready yet.
        #expect(polled > 0, "no start answered 503 before its first 200: the test proves nothing")
    }

    /// Polls `/readyz` back to back until the first 200, then looks at the outputs.
    static func poll(socket: String, outputs: [String], while running: () -> Bool) throws -> Start {
        let client = UnixSocketHTTPClient(path: socket, timeout: .seconds(5))
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        var start = Start()
        while running() {
            guard clock.now < deadline else { throw DeadlineExceeded(what: "a 200 from /readyz") }
            // Refused until the socket is bound: try again at once.
            guard let response = try? client.request("/readyz") else { continue }
            guard response.status == 200 else {
                start.notReadyAnswers += 1
                continue
            }
            start.missingAtFirst200 = outputs.filter { !Files.exists($0) }
            if !start.missingAtFirst200.isEmpty {
                let seen = clock.now
                while outputs.contains(where: { !Files.exists($0) }), clock.now - seen < .seconds(5) {}
                if outputs.allSatisfy(Files.exists) { start.appearedAfter = clock.now - seen }
            }
            return start
        }
        throw DeadlineExceeded(what: "a 200 from /readyz: the agent exited")
    }

    static func unwritableOutput() async throws {
        let directory = TemporaryDirectory("podmeta-readiness")
        let root = try CommandScenarios.volume(in: directory)
        // The env file's directory does not exist yet: its write fails until it does.
        let later = directory.sub("later")
        let json = directory.sub("pod.json")
        let env = later + "/pod.env"
        let socket = directory.sub("podmeta.sock")
        let agent = try PodmetaRun.start([
            "agent", "--volume", root, "--item", "labels=metadata.labels", "--output", json, "--env-file", env,
            "--socket", socket, "--resync", "200ms",
        ])
        let client = UnixSocketHTTPClient(path: socket, timeout: .seconds(5))
        do {
            @Sendable func readiness() -> (status: Int, reason: String)? {
                guard let response = try? client.request("/readyz") else { return nil }
                return (response.status, (try? JSONParser.parse(response.body))?["error"]?.stringValue ?? "")
            }
            func metricsText() throws -> String {
                String(decoding: try client.request("/metrics").body, as: UTF8.self)
            }
            try await waitUntil("the env file's failed write") {
                agent.child.exitStatus != nil || readiness()?.reason.contains(env) == true
            }
            #expect(Files.exists(json))
            // Several resyncs retry the env file and fail: never ready meanwhile, and the
            // reason names the output.
            for _ in 0..<5 {
                let answer = readiness()
                #expect(answer?.status == 503 && answer?.reason.contains(env) == true, "\(String(describing: answer))")
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(try metricsText().contains("\npodmeta_ready 0\n"))
            // The exec probe says the same: exit 1, and the reason on stderr.
            let probe = try await PodmetaRun.run(["health", "--ready", "--socket", socket])
            #expect(probe.status == .exited(1), "\(probe.status)")
            #expect(probe.stderr.contains("not ready") && probe.stderr.contains(env), "stderr: \(probe.stderr)")
            Files.mkdir(later)
            try await waitUntil("ready once the env file is written") {
                agent.child.exitStatus != nil || readiness()?.status == 200
            }
            #expect(Files.exists(env))
            #expect(try metricsText().contains("\npodmeta_ready 1\n"))
            #expect(try await PodmetaRun.run(["health", "--ready", "--socket", socket]).status == .exited(0))
        } catch {
            await agent.child.terminate(grace: .seconds(2))
            throw error
        }
        #expect(agent.child.signal(.terminate))
        let (status, _, stderr) = await agent.finish()
        #expect(status == .exited(0), "\(status); stderr: \(stderr)")
    }
}
