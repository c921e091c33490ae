import Glibc
import PodmetaCore
import PodmetaProcess
import PodmetaState
import PodmetaTestSupport
import Synchronization
import Testing

@testable import PodmetaAgent
@testable import PodmetaIO

extension AgentIntegrationTests {
    /// Hooks fired by a real agent through ``HookDispatcher``. Each test runs in a child
    /// process, which owns the inotify watcher and the hooks it spawns (see ``inChild(_:)``).
    @Suite struct HookTests {
        @Test func aLabelChangeFiresExactlyOneRunWithTheDiff() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await HookScenarios.labelChangeFiresOnce() }
            }
        }

        @Test func aFilteredHookIgnoresUnrelatedChanges() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await HookScenarios.filterIgnoresUnrelated() }
            }
        }

        @Test func kubeletLocalAnnotationsFireNothing() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await HookScenarios.configSeenFiresNothing() }
            }
        }

        /// A hook retired by SIGHUP (replace) while it runs is still bounded by the shutdown
        /// deadline: before, retired runners drained in a task nobody awaited, with their own
        /// 10 s deadline, so the hung hook outlived shutdown.
        @Test func aHookRetiredBySighupIsKilledWithinTheShutdownDeadline() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await HookScenarios.retiredHookHonoursShutdownDeadline() }
            }
        }

        @Test func aBurstDuringASlowRunEndsWithARunThatSeesTheLastValue() async {
            await #expect(processExitsWith: .success) { await inChild { try await HookScenarios.burstIsCoalesced() } }
        }

        @Test func aHungHookIsKilledWhileTheAgentKeepsPublishing() async {
            await #expect(processExitsWith: .success) { await inChild { try await HookScenarios.hungHookIsKilled() } }
        }
    }
}

/// One hook's log: every run appends its stdin (one JSON line) to a file.
struct HookLog {
    let path: String

    /// The stdin of every run so far, parsed.
    var runs: [JSONValue] {
        guard let text = Files.readText(path) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
    }

    /// `(section/key, old, new)` of a run's changes.
    static func changes(_ run: JSONValue) -> [String] {
        (run["changes"]?.arrayValue ?? []).map { change in
            let path = "\(change["section"]?.stringValue ?? "?")/\(change["key"]?.stringValue ?? "?")"
            return "\(path):\(change["old"]?.stringValue ?? "-")->\(change["new"]?.stringValue ?? "-")"
        }
    }
}

/// An agent on a polling watcher, a dispatcher with the given hooks on its store.
struct HookHarness {
    let fixture: AgentFixture
    let dispatcher: HookDispatcher
    let dispatcherTask: Task<Void, Never>
    let scratch: TemporaryDirectory

    /// `hooks` receives the scratch directory to put its files in.
    init(initialLabels: [String: String], annotations: [String: String] = [:], hooks: (String) -> [HookConfiguration])
        async throws
    {
        scratch = TemporaryDirectory("podmeta-agent-hooks")
        fixture = try AgentFixture(backend: .polling, initial: nil)
        Files.mkdir(fixture.root)
        try fixture.publish(labels: initialLabels, annotations: annotations)
        let (logger, _) = CapturingLogHandler.logger()
        dispatcher = HookDispatcher(
            hooks: hooks(scratch.path), store: fixture.store, metrics: fixture.metrics,
            environment: ["PATH": "/usr/local/bin:/usr/bin:/bin"], logger: logger)
        // The dispatcher takes the first snapshot it sees as every hook's baseline; it must
        // be following the store before the first change.
        let subscribed = Flag()
        let dispatcher = self.dispatcher
        dispatcherTask = Task {
            subscribed.set()
            await dispatcher.run()
        }
        try await waitUntil("the dispatcher to start") { subscribed.isSet }
        fixture.start()
        try await fixture.waitForFile("the first revision") { $0.revision == 1 }
    }

    func change(labels: [String: String], annotations: [String: String] = [:]) async throws -> PublishedSnapshot {
        try fixture.publish(labels: labels, annotations: annotations)
        return try await fixture.waitForSnapshot("labels \(labels), annotations \(annotations)") {
            $0.snapshot.labels == labels && $0.snapshot.annotations == annotations
        }
    }

    func runs(_ hook: String, result: String = "success") -> Double {
        fixture.metrics.value(.hookRuns, labels: ["hook": hook, "result": result]) ?? 0
    }

    func coalesced(_ hook: String) -> Double {
        fixture.metrics.value(.hookCoalesced, labels: ["hook": hook]) ?? 0
    }

    /// Runs `body`, then shuts everything down, also when `body` throws: a hook left
    /// running would keep the exit test's output pipes open.
    func run(_ body: (HookHarness) async throws -> Void) async throws {
        do {
            try await body(self)
        } catch {
            try? await shutdown()
            throw error
        }
        try await shutdown()
    }

    func shutdown() async throws {
        await dispatcher.shutdown(deadline: .seconds(10))
        dispatcherTask.cancel()
        try await fixture.stop()
    }

    /// A hook that appends its stdin to `log`, then runs `then`.
    static func recorder(
        _ name: String, log: String, filters: [String] = [], timeout: Duration = .seconds(30), then: String = ""
    )
        throws -> HookConfiguration
    {
        HookConfiguration(
            name: name, command: .shell("cat >> '\(log)'; \(then.isEmpty ? ":" : then)"),
            filters: try filters.map { try ChangeFilter(parsing: $0) }, timeout: timeout)
    }
}

enum HookScenarios {
    static func labelChangeFiresOnce() async throws {
        var log = ""
        let harness = try await HookHarness(initialLabels: ["app": "web", "version": "1"]) { dir in
            log = dir + "/all.log"
            return [
                try! HookHarness.recorder(
                    "all", log: dir + "/all.log",
                    then: "echo \"$PODMETA_REVISION $PODMETA_CHANGED\" >> '\(dir)/env.log'")
            ]
        }
        try await harness.run { harness in
            let hook = HookLog(path: log)
            let second = try await harness.change(labels: ["app": "web", "version": "2"])
            try await waitUntil("the run for version 2") { harness.runs("all") == 1 }
            let third = try await harness.change(labels: ["app": "web", "version": "3"])
            try await waitUntil("the run for version 3") { harness.runs("all") == 2 }

            let runs = hook.runs
            #expect(runs.count == 2, "runs: \(runs)")
            #expect(harness.coalesced("all") == 0)
            if runs.count == 2 {
                #expect(HookLog.changes(runs[0]) == ["labels/version:1->2"])
                #expect(runs[0]["revision"]?.int64Value == Int64(second.revision))
                #expect(runs[0]["previousRevision"]?.int64Value == 1)
                #expect(runs[0]["snapshot"]?["labels"]?["version"]?.stringValue == "2")
                #expect(HookLog.changes(runs[1]) == ["labels/version:2->3"])
                #expect(runs[1]["previousRevision"]?.int64Value == Int64(second.revision))
                #expect(runs[1]["revision"]?.int64Value == Int64(third.revision))
            }
            let environment = Files.readText(harness.scratch.path + "/env.log") ?? ""
            #expect(
                environment == "\(second.revision) labels/version\n\(third.revision) labels/version\n",
                "env: \(environment)")
        }
    }

    static func filterIgnoresUnrelated() async throws {
        let harness = try await HookHarness(initialLabels: ["version": "1"], annotations: ["note": "a"]) { dir in
            [
                try! HookHarness.recorder("versioned", log: dir + "/versioned.log", filters: ["labels/version"]),
                // Fires on everything: once it has run for a revision, the dispatcher has
                // decided for the filtered hook too.
                try! HookHarness.recorder("all", log: dir + "/all.log"),
            ]
        }
        try await harness.run { harness in
            let versioned = HookLog(path: harness.scratch.path + "/versioned.log")
            _ = try await harness.change(labels: ["version": "1"], annotations: ["note": "b"])
            try await waitUntil("the catch-all run for the annotation") { harness.runs("all") == 1 }
            #expect(versioned.runs.isEmpty, "the labels/version hook ran for an annotation change")

            _ = try await harness.change(labels: ["version": "2"], annotations: ["note": "b"])
            try await waitUntil("the run for version 2") { harness.runs("versioned") == 1 }
            try await waitUntil("the catch-all run for version 2") { harness.runs("all") == 2 }
            let runs = versioned.runs
            #expect(runs.count == 1)
            #expect(harness.coalesced("versioned") == 0)
            #expect(runs.first.map(HookLog.changes)?.contains("labels/version:1->2") == true, "\(runs)")
        }
    }

    static func configSeenFiresNothing() async throws {
        let seen = "kubernetes.io/config.seen"
        let harness = try await HookHarness(
            initialLabels: ["version": "1"], annotations: [seen: "t1", "kubernetes.io/config.source": "api"]
        ) { dir in
            [try! HookHarness.recorder("all", log: dir + "/all.log")]
        }
        try await harness.run { harness in
            let hook = HookLog(path: harness.scratch.path + "/all.log")
            // A kubelet restart re-stamps config.seen (and may rewrite config.source).
            let restamped = try await harness.change(
                labels: ["version": "1"], annotations: [seen: "t2", "kubernetes.io/config.source": "file"])
            #expect(restamped.revision == 2, "the document changed, so it is a new revision")
            let changed = try await harness.change(
                labels: ["version": "2"], annotations: [seen: "t2", "kubernetes.io/config.source": "file"])
            try await waitUntil("the run for version 2") { harness.runs("all") == 1 }
            let runs = hook.runs
            #expect(runs.count == 1)
            // Had config.seen fired a run that was then merged into this one, it would count here.
            #expect(harness.coalesced("all") == 0)
            #expect(runs.first.map(HookLog.changes) == ["labels/version:1->2"], "\(runs)")
            #expect(runs.first?["revision"]?.int64Value == Int64(changed.revision))
        }
    }

    static func burstIsCoalesced() async throws {
        var gate = ""
        let harness = try await HookHarness(initialLabels: ["version": "0"]) { dir in
            gate = dir + "/gate"
            // Slow: every run waits for the gate to exist.
            return [
                try! HookHarness.recorder(
                    "slow", log: dir + "/slow.log", then: "while [ ! -e '\(dir)/gate' ]; do sleep 0.01; done")
            ]
        }
        try await harness.run { harness in
            let hook = HookLog(path: harness.scratch.path + "/slow.log")
            _ = try await harness.change(labels: ["version": "1"])
            try await waitUntil("the slow run to start") { hook.runs.count == 1 }
            for value in 2...21 {
                try harness.fixture.publish(labels: ["version": "\(value)"], annotations: [:])
            }
            let last = try await harness.fixture.waitForSnapshot("version 21") { $0.snapshot.labels["version"] == "21" }
            Files.write(gate, "")
            try await waitUntil("a run that sees version 21") {
                hook.runs.last?["snapshot"]?["labels"]?["version"]?.stringValue == "21"
            }
            try await waitUntil("the runs to be counted") { harness.runs("slow") == 2 }
            let runs = hook.runs
            #expect(runs.count == 2, "the burst was not coalesced into one run: \(runs.count) runs")
            #expect(runs.last.map(HookLog.changes) == ["labels/version:1->21"])
            #expect(runs.last?["revision"]?.int64Value == Int64(last.revision))
            #expect(runs.last?["previousRevision"]?.int64Value == runs.first?["revision"]?.int64Value)
        }
    }

    static func retiredHookHonoursShutdownDeadline() async throws {
        var pids = ""
        let harness = try await HookHarness(initialLabels: ["version": "1"]) { dir in
            pids = dir + "/pids"
            return [
                try! HookHarness.recorder(
                    "hangs", log: dir + "/hangs.log", timeout: .seconds(60),
                    then: "echo $$ >> '\(dir)/pids'; exec sleep 1000")
            ]
        }
        _ = try await harness.change(labels: ["version": "2"])
        try await waitUntil("the hook to start") { !(Files.readText(pids) ?? "").isEmpty }
        let pid = try #require(Int32((Files.readText(pids) ?? "").split(separator: "\n").first.map(String.init) ?? ""))
        harness.dispatcher.replace(hooks: [], deadline: .seconds(30))
        let start = ContinuousClock.now
        await harness.dispatcher.shutdown(deadline: .milliseconds(300))
        #expect(start.duration(to: .now) < .seconds(20), "shutdown waited for the retired hook's own deadline")
        #expect(kill(pid, 0) == -1 && errno == ESRCH, "the retired hook outlived shutdown")
        harness.dispatcherTask.cancel()
        try await harness.fixture.stop()
    }

    static func hungHookIsKilled() async throws {
        var pids = ""
        let harness = try await HookHarness(initialLabels: ["version": "1"]) { dir in
            pids = dir + "/pids"
            // The first run hangs (exec: the pid written is the sleeping process); later runs
            // return at once.
            let script =
                "echo $$ >> '\(dir)/pids'; if [ ! -e '\(dir)/hung' ]; then : > '\(dir)/hung'; exec sleep 1000; fi"
            return [try! HookHarness.recorder("hangs", log: dir + "/hangs.log", timeout: .seconds(3), then: script)]
        }
        try await harness.run { harness in
            let hook = HookLog(path: harness.scratch.path + "/hangs.log")
            let fired = try await harness.change(labels: ["version": "2"])
            try await waitUntil("the hook to start") { !(Files.readText(pids) ?? "").isEmpty }
            let pid = try #require(
                Int32((Files.readText(pids) ?? "").split(separator: "\n").first.map(String.init) ?? ""))

            // The agent keeps publishing while the hook hangs.
            var revision = fired.revision
            for value in 3...5 {
                let published = try await harness.change(labels: ["version": "\(value)"])
                #expect(published.revision > revision)
                revision = published.revision
            }
            #expect(kill(pid, 0) == 0, "the hook was not hanging while the agent published")

            try await waitUntil("the hook to be killed at its timeout") {
                harness.fixture.metrics.value(.hookFailures, labels: ["hook": "hangs", "reason": "timeout"]) == 1
            }
            #expect(kill(pid, 0) == -1 && errno == ESRCH, "the hung hook is still there")
            // What changed during the hang runs next, as one run that sees the latest value.
            try await waitUntil("the run after the hang") { harness.runs("hangs") == 1 }
            #expect(hook.runs.last?["snapshot"]?["labels"]?["version"]?.stringValue == "5")
            #expect(hook.runs.last.map(HookLog.changes) == ["labels/version:2->5"])
        }
    }
}
