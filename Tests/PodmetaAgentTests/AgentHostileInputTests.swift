import Glibc
import PodmetaCore
import PodmetaProcess
import PodmetaSystem
import PodmetaTestSupport
import Testing

@testable import PodmetaIO

extension AgentIntegrationTests {
    /// Items and files that are not what they should be: a FIFO where a file belongs (a
    /// blocking open would hang the command forever: every run here is bounded by a timeout,
    /// so a regression fails instead of hanging the suite).
    @Suite(.enabled(if: PodmetaBinary.path != nil, "\(PodmetaBinary.missing)"))
    struct HostileInputTests {
        @Test(arguments: HostileInputScenarios.Command.allCases)
        func aFIFOIsRefusedWithoutBlocking(_ command: HostileInputScenarios.Command) async {
            await #expect(processExitsWith: .success) { [command] in
                await inChild { try await HostileInputScenarios.fifo(command) }
            }
        }

        @Test func envFileLeavesOutAMultiLineAnnotationAndWritesTheRest() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await HostileInputScenarios.envFileWithLastApplied() }
            }
        }

        @Test func execLeavesOutAnAnnotationTheKernelWouldRefuse() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await HostileInputScenarios.execWithHugeAnnotation() }
            }
        }

        @Test func theAgentsEnvFileIsWrittenAndWarnsOncePerKey() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await HostileInputScenarios.agentEnvFileWarnsOnce() }
            }
        }

        @Test func filtersApplyToSnapshotEnvAndExec() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await HostileInputScenarios.filtersOnOneShotCommands() }
            }
        }

        @Test func filtersFromTheConfigFileApplyToTheAgentsOutputs() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await HostileInputScenarios.filtersFromConfigFile() }
            }
        }

        @Test func theDemoRefusesADirectoryItDidNotCreate() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await HostileInputScenarios.demoRefusesForeignVolume() }
            }
        }

        @Test func theAgentKeepsFollowingTheVolumeAfterAFIFOItem() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await HostileInputScenarios.agentRecoversFromAFIFO() }
            }
        }
    }
}

enum HostileInputScenarios {
    /// Every command that reads a file it is given.
    enum Command: String, CaseIterable, Sendable, Codable, CustomTestStringConvertible {
        case snapshot, env, exec, getFile, agentOnce, agentConfig, agentTemplate

        var testDescription: String { rawValue }
    }

    /// Runs `arguments`, killing podmeta if it is still there after 20 s (a hang fails the
    /// test, it does not hang the suite).
    static func runBounded(_ arguments: [String]) async throws -> (
        status: PodmetaProcess.ExitStatus, stderr: String, hung: Bool
    ) {
        let run = try PodmetaRun.start(arguments)
        let (status, timedOut) = await run.child.wait(timeout: .seconds(20), killGrace: .seconds(1))
        let output = await run.child.output()
        return (status, String(decoding: output.standardError, as: UTF8.self), timedOut)
    }

    static func fifo(_ command: Command) async throws {
        let directory = TemporaryDirectory("podmeta-fifo")
        let volume = directory.sub("podinfo")
        Files.mkdir(volume)
        Files.write(volume + "/annotations", "a=\"1\"\n")
        let fifo = directory.sub("fifo")
        #expect(mkfifo(fifo, 0o644) == 0)
        let output = directory.sub("out.json")
        let arguments: [String]
        var expected = 66
        switch command {
        case .snapshot, .env, .exec, .agentOnce:
            #expect(mkfifo(volume + "/labels", 0o644) == 0)
            let sources = [
                "--volume", volume, "--item", "labels=metadata.labels", "--item", "annotations=metadata.annotations",
            ]
            arguments =
                switch command {
                case .snapshot: ["snapshot"] + sources
                case .env: ["env"] + sources
                case .exec: ["exec"] + sources + ["--", "/bin/true"]
                default: ["agent", "--once", "--output", output] + sources
                }
        case .getFile: arguments = ["get", "--file", fifo, "labels"]
        case .agentConfig: arguments = ["agent", "--config", fifo, "--output", output]
        case .agentTemplate:
            arguments = ["agent", "--once", "--no-volume", "--template", fifo + ":" + directory.sub("app.ini")]
            expected = 66
        }
        let (status, stderr, hung) = try await runBounded(arguments)
        #expect(!hung, "podmeta \(command) blocked on a FIFO")
        #expect(stderr.contains("it is a FIFO, not a regular file"), "stderr: \(stderr)")
        #expect(status == .exited(Int32(expected)) || command == .agentTemplate, "\(status); stderr: \(stderr)")
        #expect(status != .exited(0), "\(status); stderr: \(stderr)")
    }

    static func agentRecoversFromAFIFO() async throws {
        let directory = TemporaryDirectory("podmeta-fifo")
        let volume = directory.sub("podinfo")
        Files.mkdir(volume)
        Files.write(volume + "/annotations", "a=\"1\"\n")
        #expect(mkfifo(volume + "/labels", 0o644) == 0)
        let output = directory.sub("pod.json")
        let agent = try PodmetaRun.start([
            "agent", "--volume", volume, "--item", "labels=metadata.labels", "--item",
            "annotations=metadata.annotations", "--output", output, "--watcher", "polling", "--poll-interval", "100ms",
        ])
        do {
            // The FIFO is replaced by a regular file: a reader blocked in open() on the FIFO
            // would never see it.
            try await Task.sleep(for: .milliseconds(500))
            #expect(unlink(volume + "/labels") == 0)
            Files.write(volume + "/labels", "app=\"web\"\n")
            try await waitUntil("the labels published after the FIFO is gone") {
                agent.child.exitStatus != nil || PublishedDocument.current(output)?.labels["app"] == "web"
            }
        } catch {
            await agent.child.terminate(grace: .seconds(1))
            throw error
        }
        #expect(agent.child.signal(.terminate))
        let (status, timedOut) = await agent.child.wait(timeout: .seconds(20), killGrace: .seconds(1))
        let stderr = String(decoding: await agent.child.output().standardError, as: UTF8.self)
        #expect(!timedOut, "SIGTERM did not stop the agent")
        #expect(status == .exited(0), "\(status); stderr: \(stderr)")
        #expect(stderr.contains("it is a FIFO, not a regular file"), "stderr: \(stderr)")
    }
}

extension HostileInputScenarios {
    static let lastApplied = "{\"apiVersion\":\"v1\",\n\"kind\":\"Pod\",\n\"metadata\":{}}\n"

    /// A plain volume directory with these labels and annotations.
    static func volume(
        in directory: TemporaryDirectory, labels: [String: String] = ["app": "web", "pod-template-hash": "abc"],
        annotations: [String: String]
    ) -> (root: String, sources: [String]) {
        let root = directory.sub("podinfo")
        Files.mkdir(root)
        Files.write(root + "/labels", String(decoding: mapFile(labels), as: UTF8.self))
        Files.write(root + "/annotations", String(decoding: mapFile(annotations), as: UTF8.self))
        return (
            root,
            ["--volume", root, "--item", "labels=metadata.labels", "--item", "annotations=metadata.annotations"]
        )
    }

    static func envFileWithLastApplied() async throws {
        let directory = TemporaryDirectory("podmeta-real")
        let (_, sources) = volume(
            in: directory,
            annotations: ["kubectl.kubernetes.io/last-applied-configuration": lastApplied, "team": "a"])
        let (status, stdout, stderr) = try await PodmetaRun.run(["env", "--format", "env-file"] + sources)
        #expect(status == .exited(0), "\(status); stderr: \(stderr)")
        #expect(stdout.contains("POD_ANNOTATION_TEAM=a\n"), "stdout: \(stdout)")
        #expect(stdout.contains("POD_LABEL_APP=web\n"), "stdout: \(stdout)")
        #expect(!stdout.contains("LAST_APPLIED"), "stdout: \(stdout)")
        #expect(
            stderr.contains("is left out of the env-file output because its value spans several lines"), "\(stderr)")
    }

    static func execWithHugeAnnotation() async throws {
        let directory = TemporaryDirectory("podmeta-real")
        let (_, sources) = volume(
            in: directory, annotations: ["other-tool.io/blob": String(repeating: "x", count: 200 << 10), "team": "a"])
        let (status, stdout, stderr) = try await PodmetaRun.run(
            ["exec"] + sources + [
                "--", "/bin/sh", "-c", "echo \"team=$POD_ANNOTATION_TEAM blob=${#POD_ANNOTATION_OTHER_TOOL_IO_BLOB}\"",
            ])
        #expect(status == .exited(0), "\(status); stderr: \(stderr)")
        #expect(stdout == "team=a blob=0\n", "stderr: \(stderr)")
        #expect(
            stderr.contains(
                "POD_ANNOTATION_OTHER_TOOL_IO_BLOB (annotations/other-tool.io/blob) is left out of the command's environment"
            ),
            "\(stderr)")
    }

    static func agentEnvFileWarnsOnce() async throws {
        let directory = TemporaryDirectory("podmeta-real")
        let (root, sources) = volume(
            in: directory, annotations: ["kubectl.kubernetes.io/last-applied-configuration": lastApplied])
        let envFile = directory.sub("pod.env")
        let agent = try PodmetaRun.start(
            [
                "agent", "--env-file", envFile, "--env-file-format", "env-file", "--watcher", "polling",
                "--poll-interval", "100ms",
            ] + sources)
        do {
            try await waitUntil("the env file") {
                agent.child.exitStatus != nil || (Files.readText(envFile) ?? "").contains("POD_LABEL_APP=web")
            }
            // Three more publishes, each with a new multi-line value under the same key.
            for version in 2...4 {
                Files.write(
                    root + "/annotations",
                    String(
                        decoding: mapFile([
                            "kubectl.kubernetes.io/last-applied-configuration": lastApplied + "\(version)\n"
                        ]), as: UTF8.self))
                Files.write(
                    root + "/labels", String(decoding: mapFile(["app": "web", "v": "\(version)"]), as: UTF8.self))
                try await waitUntil("version \(version) in the env file") {
                    agent.child.exitStatus != nil || (Files.readText(envFile) ?? "").contains("POD_LABEL_V=\(version)")
                }
            }
        } catch {
            await agent.child.terminate(grace: .seconds(1))
            throw error
        }
        agent.child.signal(.terminate)
        let (status, _, stderr) = await agent.finish()
        #expect(status == .exited(0), "\(status); stderr: \(stderr)")
        let warnings = stderr.split(separator: "\n").filter { $0.contains("is left out of the env-file output") }
        #expect(warnings.count == 1, "\(stderr)")
        #expect(!stderr.contains("write failed"), "\(stderr)")
    }

    static func filtersOnOneShotCommands() async throws {
        let directory = TemporaryDirectory("podmeta-real")
        let (_, sources) = volume(
            in: directory, annotations: ["kubectl.kubernetes.io/last-applied-configuration": lastApplied, "team": "a"])
        let filters = ["--exclude-annotation", "kubectl.kubernetes.io/*", "--exclude-label", "pod-template-*"]
        let snapshot = try await PodmetaRun.run(["snapshot"] + sources + filters)
        #expect(snapshot.status == .exited(0), "\(snapshot.stderr)")
        let document = try PublishedDocument(Array(snapshot.stdout.utf8))
        #expect(document.labels == ["app": "web"])
        #expect(document.annotations == ["team": "a"])

        let env = try await PodmetaRun.run(["env", "--format", "env-file"] + sources + filters)
        #expect(env.status == .exited(0))
        #expect(env.stderr.isEmpty, "nothing left out, nothing to warn about: \(env.stderr)")
        #expect(env.stdout.contains("POD_ANNOTATION_TEAM=a") && !env.stdout.contains("HASH"), "\(env.stdout)")

        let exec = try await PodmetaRun.run(
            ["exec"] + sources + [
                "--include-annotation", "team", "--", "/bin/sh", "-c", "env | grep ^POD_ANNOTATION_ | sort",
            ])
        #expect(exec.status == .exited(0), "\(exec.stderr)")
        #expect(exec.stdout == "POD_ANNOTATION_TEAM=a\n")

        let refused = try await PodmetaRun.run(["snapshot"] + sources + ["--include-label", ""])
        #expect(refused.status == .exited(2), "\(refused.stderr)")
        #expect(refused.stderr.contains("--include-label '' matches no key"), "\(refused.stderr)")
    }

    static func filtersFromConfigFile() async throws {
        let directory = TemporaryDirectory("podmeta-real")
        let (root, _) = volume(
            in: directory, annotations: ["kubectl.kubernetes.io/last-applied-configuration": lastApplied, "team": "a"])
        let output = directory.sub("pod.json")
        let config = directory.sub("podmeta.json")
        Files.write(
            config,
            """
            {"volume": "\(root)", "items": ["labels=metadata.labels", "annotations=metadata.annotations"],
             "output": "\(output)", "excludeAnnotations": ["kubectl.kubernetes.io/*"], "includeLabels": ["app"]}
            """)
        let (status, _, stderr) = try await PodmetaRun.run(["agent", "--once", "--config", config])
        #expect(status == .exited(0), "\(stderr)")
        let document = try PublishedDocument.read(output)
        #expect(document.labels == ["app": "web"])
        #expect(document.annotations == ["team": "a"])
    }
}

extension HostileInputScenarios {
    /// A real downwardAPI volume has `..data` too: the demo must not replace it.
    static func demoRefusesForeignVolume() async throws {
        let directory = TemporaryDirectory("podmeta-demo")
        let volume = directory.sub("podinfo")
        Files.mkdir(volume)
        try KubeletVolumeWriter(root: volume).write(["labels": mapFile(["app": "real"])])
        let before = try Posix.readLink(volume + "/..data")
        let (status, _, stderr) = try await PodmetaRun.run([
            "demo", "--volume", volume, "--output-dir", directory.sub("out"), "--steps", "1", "--interval", "100ms",
        ])
        #expect(status == .exited(2), "\(status); stderr: \(stderr)")
        #expect(stderr.contains("is not empty and not an earlier demo's volume"), "\(stderr)")
        #expect(try Posix.readLink(volume + "/..data") == before, "the demo replaced the volume")

        // A new directory is the demo's: marked, and accepted again next time.
        let own = directory.sub("own")
        let first = try await PodmetaRun.run([
            "demo", "--volume", own, "--output-dir", directory.sub("out1"), "--steps", "1", "--interval", "100ms",
        ])
        #expect(first.status == .exited(0), "\(first.stderr)")
        #expect(Files.exists(own + "/..podmeta-demo"))
        let second = try await PodmetaRun.run([
            "demo", "--volume", own, "--output-dir", directory.sub("out2"), "--steps", "1", "--interval", "100ms",
        ])
        #expect(second.status == .exited(0), "\(second.stderr)")
    }
}
