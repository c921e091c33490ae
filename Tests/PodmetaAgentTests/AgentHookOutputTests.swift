import PodmetaCore
import PodmetaProcess
import PodmetaTestSupport
import Testing

@testable import PodmetaIO

extension AgentIntegrationTests {
    /// What a hook prints reaches the agent's log as records of their own: with
    /// `--log-format json` every line the agent writes on stderr is one JSON object.
    @Suite(.enabled(if: PodmetaBinary.path != nil, "\(PodmetaBinary.missing)"))
    struct HookOutputTests {
        struct Row: Sendable, Codable, CustomTestStringConvertible {
            var format: String
            var testDescription: String { format }
        }

        @Test(arguments: [Row(format: "json"), Row(format: "text")])
        func hookOutputIsLoggedLineByLine(_ row: Row) async {
            await #expect(processExitsWith: .success) { [row] in
                await inChild { try await HookOutputScenario.check(logFormat: row.format) }
            }
        }
    }
}

extension HookOutputScenario {
    static func check(logFormat: String) async throws {
        let stderr = try await HookOutputScenario.agentStderr(logFormat: logFormat)
        let lines = stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(!lines.isEmpty)
        // Each agent log line is bounded: the hook's 200 KB line without a newline is cut.
        #expect(lines.allSatisfy { $0.utf8.count < 8192 }, "\(stderr.prefix(2000))")
        switch logFormat {
        case "json":
            var records: [[String: JSONValue]] = []
            for line in lines {
                let value = try? JSONParser.parse(String(line))
                guard case .object(let members)? = value else {
                    Issue.record("not a JSON log record: \(line.prefix(300))")
                    continue
                }
                records.append(members)
            }
            func output(_ stream: String, _ text: String) -> [String: JSONValue]? {
                records.first { $0["stream"] == .string(stream) && $0["line"] == .string(text) }
            }
            let out = output("stdout", "to stdout")
            #expect(out?["hook"] == .string("on-change"), "\(stderr.prefix(2000))")
            #expect(output("stderr", "to stderr \"quoted\"") != nil, "\(stderr.prefix(2000))")
            let long = records.first { $0["stream"] == .string("stdout") && $0["truncated"] == .string("true") }
            #expect(long != nil)
            // The line after the long one is whole again.
            #expect(output("stdout", "after the long line") != nil)
        default:
            #expect(
                lines.contains { $0.contains("hook output") && $0.contains("line=\"to stdout\"") },
                "\(stderr.prefix(2000))")
            #expect(!lines.contains { $0.hasPrefix("to st") }, "a raw hook line: \(stderr.prefix(2000))")
        }
    }
}

enum HookOutputScenario {
    /// Runs the agent with a hook that writes to both streams (one line far longer than a
    /// log line may be), triggers one run, and returns everything the agent wrote on stderr.
    static func agentStderr(logFormat: String) async throws -> String {
        let directory = TemporaryDirectory("podmeta-hook-output")
        let volume = directory.sub("podinfo")
        Files.mkdir(volume)
        Files.write(volume + "/labels", "app=\"web\"\n")
        let output = directory.sub("pod.json")
        let done = directory.sub("hook-done")
        let binary = try #require(PodmetaBinary.path)
        let hook = """
            echo 'to stdout'; echo 'to stderr "quoted"' >&2; \
            head -c 200000 /dev/zero | tr '\\0' x; echo; echo 'after the long line'; sleep 1; touch '\(done)'
            """
        // The hook waits a second before it says it is done: the agent logs each line as its
        // pump reads it, and stopping the agent the moment `done` appears could cut the last
        // lines off (seen in CI). A hang still fails through the wait's deadline.
        let spec = ProcessSpec(
            command: .argv([
                binary, "agent", "--volume", volume, "--item", "labels=metadata.labels", "--output", output,
                "--watcher", "polling", "--poll-interval", "100ms", "--log-format", logFormat, "--on-change", hook,
            ]),
            environment: ["PATH": "/usr/bin:/bin"], standardOutput: .capture, standardError: .capture)
        let agent = try ProcessSpawner().spawn(spec)
        do {
            try await waitUntil("the agent to publish") {
                agent.exitStatus != nil || PublishedDocument.current(output) != nil
            }
            Files.write(volume + "/labels", "app=\"web\"\nversion=\"2\"\n")
            try await waitUntil("the hook to finish") { agent.exitStatus != nil || Files.exists(done) }
        } catch {
            await agent.terminate(grace: .seconds(2))
            throw error
        }
        await agent.terminate(grace: .seconds(5))
        return String(decoding: await agent.output().standardError, as: UTF8.self)
    }
}
