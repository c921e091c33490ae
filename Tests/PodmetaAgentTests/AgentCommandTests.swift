import Glibc
import PodmetaCore
import PodmetaProcess
import PodmetaSystem
import PodmetaTestSupport
import Testing

@testable import PodmetaIO

/// The `podmeta` executable this package builds (`swift test` builds it first), or nil.
/// `PODMETA_TEST_BINARY` points the CLI tests at another build, such as an older one to see
/// a new test fail before its fix.
enum PodmetaBinary {
    static let path: String? = {
        if let override = getenv("PODMETA_TEST_BINARY").map({ String(cString: $0) }), !override.isEmpty {
            return override
        }
        // Tests/PodmetaAgentTests/<file>.swift -> the package root.
        var root = #filePath
        for _ in 0..<3 { root = PathNames.directory(of: root) }
        let candidate = root + "/.build/debug/podmeta"
        return access(candidate, X_OK) == 0 ? candidate : nil
    }()

    static let missing = "no .build/debug/podmeta next to the sources: build it (swift build) to run the CLI tests"
}

/// A `podmeta` process and what it printed.
struct PodmetaRun {
    let child: ChildProcess

    static func start(_ arguments: [String]) throws -> PodmetaRun {
        let binary = try #require(PodmetaBinary.path)
        let spec = ProcessSpec(
            command: .argv([binary] + arguments), environment: ["PATH": "/usr/bin:/bin"],
            standardOutput: .capture, standardError: .capture)
        return PodmetaRun(child: try ProcessSpawner().spawn(spec))
    }

    /// Waits for the exit (killing it past a generous limit, which fails the test).
    func finish() async -> (status: PodmetaProcess.ExitStatus, stdout: String, stderr: String) {
        let (status, timedOut) = await child.wait(timeout: .seconds(60), killGrace: .seconds(5))
        #expect(!timedOut, "podmeta did not exit")
        let output = await child.output()
        return (
            status, String(decoding: output.standardOutput, as: UTF8.self),
            String(decoding: output.standardError, as: UTF8.self)
        )
    }

    static func run(_ arguments: [String]) async throws -> (
        status: PodmetaProcess.ExitStatus, stdout: String, stderr: String
    ) {
        try await start(arguments).finish()
    }
}

extension AgentIntegrationTests {
    /// `podmeta agent` as a process. Each test runs in a child process of its own, which
    /// owns the agent process it spawns (see ``inChild(_:)``).
    @Suite(.enabled(if: PodmetaBinary.path != nil, "\(PodmetaBinary.missing)"))
    struct CommandTests {
        @Test(arguments: [SIGTERM, SIGINT])
        func aStopSignalExitsZeroAndRemovesTheSocket(_ signal: Int32) async {
            await #expect(processExitsWith: .success) { [signal = signal as Int32] in
                await inChild { try await CommandScenarios.stopSignal(signal) }
            }
        }

        /// SIGHUP re-reads the config file; without one it must not kill the agent (the
        /// default disposition of SIGHUP is to terminate).
        @Test func aHangupWithoutAConfigFileKeepsTheAgentRunning() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await CommandScenarios.hangupWithoutConfig() }
            }
        }

        /// Idle (`--resync 0`, no change, no client) the agent must never wake up: no
        /// timer of the process is armed, and its tasks run on NIO's event loop. Under
        /// libdispatch's pool a one-second monitor timer stayed armed forever.
        @Test func anIdleAgentArmsNoTimer() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await CommandScenarios.idleAgentArmsNoTimer() }
            }
        }

        @Test func aBadMetricsAddressIsRefusedWithItsRemedy() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await CommandScenarios.metricsAddressRefusals() }
            }
        }

        @Test func onceExitsZeroAfterWritingTheFile() async {
            await #expect(processExitsWith: .success) { await inChild { try await CommandScenarios.onceSucceeds() } }
        }

        @Test func onceWithoutItsVolumeFailsWithOneSentence() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await CommandScenarios.onceMissingVolume() }
            }
        }

        @Test func aMalformedLabelsLineIsAWarningWithPathAndLine() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await CommandScenarios.malformedLabels(strict: false) }
            }
        }

        @Test func strictMakesAMalformedLabelsLineFatal() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await CommandScenarios.malformedLabels(strict: true) }
            }
        }
    }
}

enum CommandScenarios {
    /// A kubelet volume with labels and a name.
    static func volume(in directory: TemporaryDirectory, labels: [UInt8] = mapFile(["app": "web", "version": "1"]))
        throws -> String
    {
        let root = directory.sub("podinfo")
        Files.mkdir(root)
        try KubeletVolumeWriter(root: root).write(["labels": labels, "name": Array("web-0".utf8)])
        return root
    }

    static func stopSignal(_ signal: Int32) async throws {
        let directory = TemporaryDirectory("podmeta-agent-cli")
        let root = try volume(in: directory)
        let output = directory.sub("pod.json")
        let socket = directory.sub("podmeta.sock")
        let agent = try PodmetaRun.start([
            "agent", "--volume", root, "--item", "labels=metadata.labels", "--item", "name=metadata.name",
            "--output", output, "--socket", socket,
        ])
        do {
            try await waitUntil("the agent to publish and listen") {
                agent.child.exitStatus != nil || (Files.exists(socket) && PublishedDocument.current(output) != nil)
            }
            #expect(agent.child.exitStatus == nil, "the agent exited early")
            // Still live: a change is published.
            try KubeletVolumeWriter(root: root).write([
                "labels": mapFile(["app": "web", "version": "2"]), "name": Array("web-0".utf8),
            ])
            try await waitUntil("version 2 in the file") {
                agent.child.exitStatus != nil || PublishedDocument.current(output)?.labels["version"] == "2"
            }
        } catch {
            // Never leave the agent running behind a failed test.
            await agent.child.terminate(grace: .seconds(2))
            throw error
        }
        #expect(agent.child.signal(ProcessSignal(rawValue: signal)))
        let (status, _, stderr) = await agent.finish()
        #expect(status == .exited(0), "\(status); stderr: \(stderr)")
        #expect(!Files.exists(socket), "the socket was left behind")
        #expect(PublishedDocument.current(output)?.labels["version"] == "2", "the file is gone or damaged")
        #expect(stderr.contains("agent stopped"), "stderr: \(stderr)")
    }

    /// The timerfds of `pid` whose timer is armed, as "fd: it_value" (`/proc/PID/fdinfo`).
    static func armedTimers(_ pid: Int32) -> [String] {
        var armed: [String] = []
        for fd in Files.list("/proc/\(pid)/fd") where Files.link("/proc/\(pid)/fd/\(fd)") == "anon_inode:[timerfd]" {
            let info = Files.readText("/proc/\(pid)/fdinfo/\(fd)") ?? ""
            let value = info.split(separator: "\n").first { $0.hasPrefix("it_value:") } ?? "it_value: ?"
            if !value.hasSuffix("(0, 0)") { armed.append("fd \(fd) \(value)") }
        }
        return armed
    }

    static func idleAgentArmsNoTimer() async throws {
        let directory = TemporaryDirectory("podmeta-agent-cli")
        let root = try volume(in: directory)
        let output = directory.sub("pod.json")
        let socket = directory.sub("podmeta.sock")
        let agent = try PodmetaRun.start([
            "agent", "--volume", root, "--item", "labels=metadata.labels", "--output", output, "--socket", socket,
            "--resync", "0",
        ])
        do {
            try await waitUntil("the agent to publish and listen") {
                agent.child.exitStatus != nil || (Files.exists(socket) && PublishedDocument.current(output) != nil)
            }
            #expect(agent.child.exitStatus == nil, "the agent exited early")
            let pid = agent.child.pid
            // Start-up may still have a timer in flight; an idle agent has none soon after.
            try await waitUntil("every timer of the agent disarmed (armed: \(armedTimers(pid)))", timeout: .seconds(5))
            {
                armedTimers(pid).isEmpty
            }
            let threads = Files.list("/proc/\(pid)/task").compactMap { Files.readText("/proc/\(pid)/task/\($0)/comm") }
            #expect(threads.contains { $0.hasPrefix("NIO-SGLTN") }, "no NIO singleton loop among \(threads)")
        } catch {
            await agent.child.terminate(grace: .seconds(2))
            throw error
        }
        agent.child.signal(.terminate)
        let (status, _, stderr) = await agent.finish()
        #expect(status == .exited(0), "\(status); stderr: \(stderr)")
    }

    /// `--metrics-address` and `metricsAddress` that are not HOST:PORT, or with `--once`.
    static func metricsAddressRefusals() async throws {
        let directory = TemporaryDirectory("podmeta-agent-cli")
        let output = directory.sub("pod.json")
        let config = directory.sub("podmeta.json")
        Files.write(config, #"{"output": "\#(output)", "metricsAddress": "9533"}"#)
        for (arguments, message) in [
            (["--output", output, "--metrics-address", "0.0.0.0"], "e.g. 0.0.0.0:9533 or [::1]:9533"),
            (["--output", output, "--metrics-address", "::1:9533"], "brackets"),
            (["--config", config], "the metrics address \"9533\" is not HOST:PORT"),
            (["--once", "--output", output, "--metrics-address", "127.0.0.1:0"], "--once and --metrics-address"),
        ] {
            let run = try await PodmetaRun.run(["agent"] + arguments)
            #expect(run.status == .exited(2), "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
        }
    }

    static func hangupWithoutConfig() async throws {
        let directory = TemporaryDirectory("podmeta-agent-cli")
        let root = try volume(in: directory)
        let output = directory.sub("pod.json")
        let agent = try PodmetaRun.start([
            "agent", "--volume", root, "--item", "labels=metadata.labels", "--output", output,
            "--socket", directory.sub("podmeta.sock"),
        ])
        do {
            try await waitUntil("the agent to publish") {
                agent.child.exitStatus != nil || PublishedDocument.current(output) != nil
            }
            #expect(agent.child.signal(.hangup))
            // Still there and still publishing after the signal.
            try KubeletVolumeWriter(root: root).write([
                "labels": mapFile(["app": "web", "version": "2"]), "name": Array("web-0".utf8),
            ])
            try await waitUntil("version 2 in the file, or the agent gone") {
                agent.child.exitStatus != nil || PublishedDocument.current(output)?.labels["version"] == "2"
            }
            #expect(
                agent.child.exitStatus == nil, "SIGHUP killed the agent: \(String(describing: agent.child.exitStatus))")
        } catch {
            await agent.child.terminate(grace: .seconds(2))
            throw error
        }
        agent.child.signal(.terminate)
        let (status, _, stderr) = await agent.finish()
        #expect(status == .exited(0), "\(status); stderr: \(stderr)")
        #expect(stderr.contains("SIGHUP"), "the signal was not acknowledged: \(stderr)")
    }

    static func onceSucceeds() async throws {
        let directory = TemporaryDirectory("podmeta-agent-cli")
        let root = try volume(in: directory)
        let output = directory.sub("pod.json")
        let (status, _, stderr) = try await PodmetaRun.run([
            "agent", "--once", "--volume", root, "--item", "labels=metadata.labels", "--item", "name=metadata.name",
            "--output", output,
        ])
        #expect(status == .exited(0), "\(status); stderr: \(stderr)")
        let document = try PublishedDocument.read(output)
        #expect(document.labels == ["app": "web", "version": "1"])
        #expect(document.pod["name"] == "web-0")
        #expect(document.revision == 1)
    }

    static func onceMissingVolume() async throws {
        let directory = TemporaryDirectory("podmeta-agent-cli")
        let missing = directory.sub("nowhere")
        let output = directory.sub("pod.json")
        let (status, _, stderr) = try await PodmetaRun.run([
            "agent", "--once", "--volume", missing, "--output", output,
        ])
        // The contract: 66 when a source cannot be read.
        #expect(status == .exited(66), "\(status); stderr: \(stderr)")
        // One sentence, not a log line and then the same error again.
        let lines = stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(stderr)")
        #expect(
            lines.first?.hasPrefix("podmeta: ") == true && lines.first?.contains(missing) == true, "stderr: \(stderr)")
        #expect(!Files.exists(output))
    }

    static func malformedLabels(strict: Bool) async throws {
        let directory = TemporaryDirectory("podmeta-agent-cli")
        let labels = "app=\"web\"\nthis line is not a label\nversion=\"1\""
        let root = try volume(in: directory, labels: Array(labels.utf8))
        let output = directory.sub("pod.json")
        let (status, _, stderr) = try await PodmetaRun.run(
            [
                "agent", "--once", "--volume", root, "--item", "labels=metadata.labels", "--item", "name=metadata.name",
                "--output", output,
            ] + (strict ? ["--strict"] : []))
        let location = root + "/labels:2"
        if strict {
            // The contract: 65 for invalid input data.
            #expect(status == .exited(65), "\(status); stderr: \(stderr)")
            #expect(
                stderr.hasPrefix("podmeta: \(location)") && stderr.split(separator: "\n").count == 1,
                "stderr: \(stderr)")
            #expect(!Files.exists(output))
        } else {
            #expect(status == .exited(0), "\(status); stderr: \(stderr)")
            let warnings = stderr.split(separator: "\n").filter { $0.contains("warning") }
            #expect(warnings.count == 1 && warnings.first?.contains(location) == true, "stderr: \(stderr)")
            let document = try PublishedDocument.read(output)
            #expect(document.labels == ["app": "web", "version": "1"])
        }
    }
}
