import Glibc
import PodmetaCore
import PodmetaProcess
import PodmetaTestSupport
import Testing

@testable import PodmetaIO

extension AgentIntegrationTests {
    /// `--splay` and `--wait` (and the config file's `splay` and `wait`) reach every kind of
    /// hook and the templates' commands, through the built binary: each one says in the
    /// debug log that it holds its run, and none runs within the hour it is held.
    @Suite(.enabled(if: PodmetaBinary.path != nil, "\(PodmetaBinary.missing)"))
    struct HookTimingTests {
        struct Row: Sendable, Codable, CustomTestStringConvertible {
            /// Flags, or config file members.
            var flags: [String] = []
            var file: String = ""
            var says: String
            var testDescription: String { flags.isEmpty ? "config \(file)" : flags.joined(separator: " ") }
        }

        static let rows = [
            Row(flags: ["--splay", "1h"], says: "hook run delayed by splay"),
            Row(file: #""splay": "1h","#, says: "hook run delayed by splay"),
            Row(flags: ["--wait", "1h"], says: "hook run waits for quiescence"),
            Row(file: #""wait": "1h:2h","#, says: "hook run waits for quiescence"),
        ]

        @Test(arguments: rows)
        func everyHookKindAndTemplateCommandIsHeld(_ row: Row) async {
            await #expect(processExitsWith: .success) { [row = row as Row] in
                await inChild { try await HookTimingScenarios.everyKindIsHeld(row) }
            }
        }
    }
}

enum HookTimingScenarios {
    static func everyKindIsHeld(_ row: AgentIntegrationTests.HookTimingTests.Row) async throws {
        let directory = TemporaryDirectory("podmeta-hook-timing")
        let root = directory.sub("podinfo")
        Files.mkdir(root)
        let labels = { (version: String) in
            try KubeletVolumeWriter(root: root).write(["labels": mapFile(["version": version])])
        }
        try labels("1")
        let output = directory.sub("pod.json")
        let template = directory.sub("app.conf.mustache")
        let rendered = directory.sub("app.conf")
        let ran = directory.sub("ran")
        Files.write(template, "{{labels.version}}\n")
        let config = directory.sub("podmeta.json")
        Files.write(
            config,
            """
            {\(row.file) "templates": [{"source": "\(template)", "destination": "\(rendered)", "command": "touch \(ran)"}],
             "hooks": [{"name": "file-hook", "command": "touch \(ran)"}]}
            """)
        let log = Recorder<String>()
        let binary = try #require(PodmetaBinary.path)
        let agent = try ProcessSpawner().spawn(
            ProcessSpec(
                command: .argv(
                    [
                        binary, "agent", "--config", config, "--volume", root, "--item", "labels=metadata.labels",
                        "--output", output, "--log-level", "debug", "--on-change", "touch \(ran)", "--hook",
                        "labels/version=touch \(ran)", "--webhook", "http://127.0.0.1:9/reload", "--signal",
                        "no-such-process-\(getpid())=HUP",
                    ] + row.flags),
                environment: ["PATH": "/usr/bin:/bin"], standardOutput: .discard,
                standardError: .lines(OutputLineSink { line, _ in log.record(String(decoding: line, as: UTF8.self)) })))
        let hooks = ["on-change", "hook-1", "webhook-1", "signal-1", "file-hook", "template:\(rendered)"]
        let held = {
            hooks.filter { hook in log.all.contains { $0.contains(row.says) && $0.contains("hook=\(hook)") } }
        }
        do {
            try await waitUntil("the agent to publish") {
                agent.exitStatus != nil || PublishedDocument.current(output) != nil
            }
            try labels("2")
            try await waitUntil("every hook to hold its run") { agent.exitStatus != nil || held() == hooks }
        } catch {
            Issue.record("held: \(held()); log: \(log.all.joined(separator: "\n"))")
        }
        #expect(held() == hooks)
        #expect(!Files.exists(ran), "a hook ran although it was held for an hour")
        let status = await agent.terminate(grace: .seconds(10))
        #expect(status == .exited(0), "\(status)")
    }
}
