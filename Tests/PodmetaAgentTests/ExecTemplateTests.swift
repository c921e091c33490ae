import PodmetaCore
import PodmetaProcess
import PodmetaSystem
import PodmetaTestSupport
import Testing

@testable import PodmetaIO

extension AgentIntegrationTests.ExecTests {
    /// 0: --reload-signal HUP; 1: --restart-on-change.
    @Test(arguments: 0..<2)
    func templatesAreRenderedBeforeTheChildStartsAndBeforeItIsTold(_ row: Int) async {
        await #expect(processExitsWith: .success) { [row = row as Int] in
            await inChild { try await ExecScenarios.templates(restart: row == 1) }
        }
    }
}

extension ExecScenarios {
    /// An annotation over the kernel's 128 KiB per-variable limit: never a variable.
    static func blob(_ fill: Character) -> String { String(repeating: fill, count: 130 * 1024) }

    static func write(_ root: String, version: String, blob: String) throws {
        try KubeletVolumeWriter(root: root).write([
            "labels": mapFile(["app": "web", "version": version]),
            "annotations": mapFile(["example.com/blob": blob]),
        ])
    }

    /// The child reads the rendered file when it starts and on each SIGHUP: it must see the
    /// new version both times (render, then signal or restart). A change that renders the
    /// same bytes and changes no variable (the blob is too large to be one) leaves the child
    /// alone.
    static func templates(restart: Bool) async throws {
        let directory = TemporaryDirectory("podmeta-exec-cli")
        let root = directory.sub("podinfo")
        Files.mkdir(root)
        try write(root, version: "1", blob: blob("a"))
        let source = directory.sub("app.conf.mustache")
        Files.write(source, "version={{labels.version}}\n")
        let destination = directory.sub("app.conf")
        let log = directory.sub("child.log")
        let mode = restart ? ["--restart-on-change", "--grace-period", "2s"] : ["--reload-signal", "HUP"]
        let script = """
            echo "start $(cat '\(destination)')" >> '\(log)'
            trap 'echo "hup $(cat "\(destination)")" >> "\(log)"' HUP
            while :; do sleep 0.05; done
            """
        let run = try PodmetaRun.start(
            [
                "exec", "--volume", root, "--item", "labels=metadata.labels", "--item",
                "annotations=metadata.annotations",
            ]
                + mode + ["--template", "\(source):\(destination):0600", "--", "/bin/sh", "-c", script])
        let lines = { (Files.readText(log) ?? "").split(separator: "\n").map(String.init) }
        do {
            try await waitUntil("the child to start") { run.child.exitStatus != nil || !lines().isEmpty }
            #expect(lines() == ["start version=1"])
            #expect(Files.info(destination).map { $0.st_mode & 0o777 } == 0o600)
            try write(root, version: "1", blob: blob("b"))
            try await Task.sleep(for: .milliseconds(1500))
            #expect(lines() == ["start version=1"], "the child was told about a change it cannot see")
            try write(root, version: "2", blob: blob("b"))
            let told = restart ? "start version=2" : "hup version=2"
            try await waitUntil("the child to be told about version 2") {
                run.child.exitStatus != nil || lines().count >= 2
            }
            try await Task.sleep(for: .milliseconds(300))
            #expect(lines() == ["start version=1", told])
            #expect(Files.readText(destination) == "version=2\n")
        } catch {
            _ = await run.child.terminate(grace: .seconds(3))
            throw error
        }
        _ = await run.child.terminate(grace: .seconds(3))
    }
}
