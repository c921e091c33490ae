import PodmetaCore
import PodmetaProcess
import PodmetaSystem
import PodmetaTestSupport
import Testing

@testable import PodmetaIO

extension AgentIntegrationTests {
    /// `podmeta exec` supervising a real child through the built binary: which volume
    /// changes signal or restart it.
    @Suite(.enabled(if: PodmetaBinary.path != nil, "\(PodmetaBinary.missing)"))
    struct ExecTests {
        /// 0, 1: --reload-signal HUP without and with --on; 2, 3: --restart-on-change; 4, 5:
        /// the same with --splay 1s (the change still arrives, once).
        @Test(arguments: 0..<6)
        func onlyChangesThatMatterReachTheChild(_ row: Int) async {
            await #expect(processExitsWith: .success) { [row = row as Int] in
                await inChild {
                    try await ExecScenarios.onlyChangesThatMatter(
                        restart: row == 2 || row == 3 || row == 5, filtered: row % 2 == 1 && row < 4, splay: row >= 4)
                }
            }
        }

        /// --wait 2s:30s: versions 2, 3 and 4, written 200 ms apart (each a revision of its
        /// own), reach the child once, as version 4: in its environment after a restart, in
        /// its rendered template with --reload-signal.
        @Test(arguments: [true, false])
        func aBurstWithinTheWaitReachesTheChildOnceWithTheLatest(_ restart: Bool) async {
            await #expect(processExitsWith: .success) { [restart = restart as Bool] in
                await inChild { try await ExecScenarios.burstWithinTheWait(restart: restart) }
            }
        }
    }
}

enum ExecScenarios {
    static func write(_ root: String, labels: [String: String], seen: String) throws {
        try KubeletVolumeWriter(root: root).write([
            "labels": mapFile(labels), "annotations": mapFile(["kubernetes.io/config.seen": seen]),
        ])
    }

    /// How many times the child started, and how many SIGHUPs it got.
    static func events(_ log: String) -> (starts: Int, hangups: Int) {
        let lines = (Files.readText(log) ?? "").split(separator: "\n")
        return (lines.filter { $0 == "start" }.count, lines.filter { $0 == "hup" }.count)
    }

    /// A kubelet-local annotation (and, with `--on labels/version`, another label) changes:
    /// the child is left alone; then `version` changes: the child is signalled or restarted
    /// exactly once.
    static func onlyChangesThatMatter(restart: Bool, filtered: Bool, splay: Bool = false) async throws {
        let directory = TemporaryDirectory("podmeta-exec-cli")
        let root = directory.sub("podinfo")
        Files.mkdir(root)
        try write(root, labels: ["app": "web", "version": "1"], seen: "2026-12-06T04:00:00.1Z")
        let log = directory.sub("child.log")
        let mode = restart ? ["--restart-on-change", "--grace-period", "2s"] : ["--reload-signal", "HUP"]
        // The trap runs between sleeps; SIGTERM (a restart) keeps its default action.
        let script = "echo start >> '\(log)'; trap 'echo hup >> \"\(log)\"' HUP; while :; do sleep 0.05; done"
        let run = try PodmetaRun.start(
            [
                "exec", "--volume", root, "--item", "labels=metadata.labels", "--item",
                "annotations=metadata.annotations",
            ]
                + mode + (filtered ? ["--on", "labels/version"] : []) + (splay ? ["--splay", "1s"] : [])
                + ["--", "/bin/sh", "-c", script])
        let counted: ((starts: Int, hangups: Int)) -> Int = { restart ? $0.starts - 1 : $0.hangups }
        do {
            try await waitUntil("the child to start") { run.child.exitStatus != nil || events(log).starts == 1 }
            #expect(run.child.exitStatus == nil, "podmeta exec exited early")
            try write(root, labels: ["app": "web", "version": "1"], seen: "2026-12-06T04:00:09.2Z")
            if filtered {
                try write(root, labels: ["app": "api", "version": "1"], seen: "2026-12-06T04:00:09.2Z")
            }
            // A change that would reach the child does so within milliseconds (inotify).
            try await Task.sleep(for: .milliseconds(1500))
            #expect(counted(events(log)) == 0, "the child was told about a change it must not see: \(events(log))")
            try write(
                root, labels: ["app": filtered ? "api" : "web", "version": "2"], seen: "2026-12-06T04:00:09.2Z")
            try await waitUntil("the child to be told about version 2") {
                run.child.exitStatus != nil || counted(events(log)) >= 1
            }
            try await Task.sleep(for: .milliseconds(300))
            #expect(counted(events(log)) == 1, "\(events(log))")
        } catch {
            _ = await run.child.terminate(grace: .seconds(3))
            throw error
        }
        _ = await run.child.terminate(grace: .seconds(3))
    }

    /// What the child saw, one line per start or SIGHUP: `start VERSION` (from its
    /// environment) or `hup VERSION` (from its rendered template).
    static func burstWithinTheWait(restart: Bool) async throws {
        let directory = TemporaryDirectory("podmeta-exec-wait")
        let root = directory.sub("podinfo")
        Files.mkdir(root)
        try write(root, labels: ["version": "1"], seen: "2026-12-06T04:00:00.1Z")
        let log = directory.sub("child.log")
        let template = directory.sub("app.conf.mustache")
        let rendered = directory.sub("app.conf")
        Files.write(template, "{{labels.version}}\n")
        let mode = restart ? ["--restart-on-change", "--grace-period", "2s"] : ["--reload-signal", "HUP"]
        let script =
            "echo \"start $POD_LABEL_VERSION\" >> '\(log)'; trap 'echo \"hup $(cat \"\(rendered)\")\" >> \"\(log)\"' HUP; "
            + "while :; do sleep 0.05; done"
        let run = try PodmetaRun.start(
            [
                "exec", "--volume", root, "--item", "labels=metadata.labels", "--item",
                "annotations=metadata.annotations", "--template", "\(template):\(rendered)", "--wait", "2s:30s",
            ] + mode + ["--", "/bin/sh", "-c", script])
        let lines = { (Files.readText(log) ?? "").split(separator: "\n").map(String.init) }
        do {
            try await waitUntil("the child to start") { run.child.exitStatus != nil || lines().count == 1 }
            #expect(lines() == ["start 1"], "podmeta exec exited early: \(String(describing: run.child.exitStatus))")
            for version in 2...4 {
                if version > 2 { try await Task.sleep(for: .milliseconds(200)) }
                try write(root, labels: ["version": "\(version)"], seen: "2026-12-06T04:00:00.1Z")
            }
            // Without --wait the first of them would be there within milliseconds.
            #expect(lines().count == 1, "the child was told before the changes stopped: \(lines())")
            try await waitUntil("the child to be told") { run.child.exitStatus != nil || lines().count > 1 }
            // Long enough for a second restart or signal, if one were coming.
            try await Task.sleep(for: .milliseconds(500))
            #expect(lines() == ["start 1", restart ? "start 4" : "hup 4"])
        } catch {
            _ = await run.child.terminate(grace: .seconds(3))
            throw error
        }
        _ = await run.child.terminate(grace: .seconds(3))
    }
}
