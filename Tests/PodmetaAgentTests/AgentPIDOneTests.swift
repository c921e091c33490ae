import Glibc
import PodmetaCore
import PodmetaProcess
import PodmetaSystem
import PodmetaTestSupport
import Testing

@testable import PodmetaIO

extension AgentIntegrationTests {
    /// The agent as a container's entrypoint: PID 1 of a PID namespace of its own
    /// (`unshare --pid --fork`, which needs root), with a hook that leaves a background
    /// process behind.
    @Suite(
        .enabled(if: PodmetaBinary.path != nil, "\(PodmetaBinary.missing)"),
        .enabled(if: geteuid() == 0 && access("/usr/bin/unshare", X_OK) == 0, "needs root and unshare(1)"))
    struct PIDOneTests {
        @Test func asPIDOneTheAgentReapsWhatAHookLeavesBehind() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await PIDOneScenarios.orphanOfAHook() }
            }
        }
    }
}

enum PIDOneScenarios {
    /// `pid (comm) S ppid ...` of every process, as (pid, state, ppid).
    static func processes() -> [(pid: pid_t, state: Substring, parent: pid_t)] {
        ((try? Posix.listDirectory("/proc")) ?? []).compactMap { name -> (pid_t, Substring, pid_t)? in
            guard let pid = pid_t(name), let bytes = try? Posix.readFile("/proc/\(name)/stat", limit: 4096) else {
                return nil
            }
            let text = String(decoding: bytes, as: UTF8.self)
            guard let close = text.lastIndex(of: ")") else { return nil }
            let fields = text[text.index(after: close)...].split(separator: " ")
            guard fields.count > 1, let parent = pid_t(fields[1]) else { return nil }
            return (pid, fields[0], parent)
        }
    }

    static func orphanOfAHook() async throws {
        let directory = TemporaryDirectory("podmeta-pid1")
        let volume = directory.sub("podinfo")
        Files.mkdir(volume)
        Files.write(volume + "/labels", "app=\"web\"\n")
        let output = directory.sub("pod.json")
        let done = directory.sub("orphan-done")
        let binary = try #require(PodmetaBinary.path)
        // The hook exits at once; its background subshell outlives it, is re-parented to
        // PID 1 (the agent), and exits a moment later.
        let hook = "(sleep 0.2; touch '\(done)') & exit 0"
        let spec = ProcessSpec(
            command: .argv([
                "/usr/bin/unshare", "--pid", "--fork", binary, "agent", "--volume", volume, "--item",
                "labels=metadata.labels", "--output", output, "--watcher", "polling", "--poll-interval", "100ms",
                "--on-change", hook,
            ]),
            environment: ["PATH": "/usr/bin:/bin"], standardOutput: .capture, standardError: .capture)
        let unshare = try ProcessSpawner().spawn(spec)
        do {
            try await waitUntil("the agent to publish") {
                unshare.exitStatus != nil || PublishedDocument.current(output) != nil
            }
            let agent = try #require(processes().first { $0.parent == unshare.pid }?.pid, "no agent under unshare")
            Files.write(volume + "/labels", "app=\"web\"\nversion=\"2\"\n")
            try await waitUntil("the hook's orphan to finish") { unshare.exitStatus != nil || Files.exists(done) }
            // Reaped means gone: no zombie child of the agent remains.
            var zombies: [pid_t] = []
            try await waitUntil("no zombie left under the agent", timeout: .seconds(10)) {
                zombies = processes().filter { $0.parent == agent && $0.state == "Z" }.map(\.pid)
                return zombies.isEmpty
            }
        } catch {
            await unshare.terminate(grace: .seconds(2))
            throw error
        }
        await unshare.terminate(grace: .seconds(5))
        let stderr = String(decoding: await unshare.output().standardError, as: UTF8.self)
        #expect(!stderr.contains("error"), "stderr: \(stderr)")
    }
}
