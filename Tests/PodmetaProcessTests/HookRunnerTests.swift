import Glibc
import Logging
import PodmetaTestSupport
import Testing

@testable import PodmetaProcess

extension PodmetaProcessTests {
    @Suite struct HookRunnerTests {
        /// A runner whose reports land in a recorder, with the test directory as `$DIR`.
        func makeRunner(
            _ hook: HookDefinition, directory: TemporaryDirectory,
            splayFraction: @escaping @Sendable () -> Double = { 0 }
        ) -> (HookRunner, Recorder<HookRunReport>, Recorder<CapturedLogEntry>) {
            let reports = Recorder<HookRunReport>()
            let (logger, logs) = CapturingLogHandler.logger()
            let runner = HookRunner(
                hook: hook, environment: basicEnvironment.merging(["DIR": directory.path]) { $1 },
                logger: logger, report: { reports.record($0) }, splayFraction: splayFraction)
            // The owner's task: here an unstructured one, ended by `shutdown`.
            Task { await runner.run() }
            return (runner, reports, logs)
        }

        @Test func payloadArrivesOnStdinExactly() async throws {
            let directory = TemporaryDirectory("podmeta-process")
            defer { directory.remove() }
            let (runner, reports, _) = makeRunner(
                HookDefinition(name: "copy", command: .shell("cat > \"$DIR/payload\"")), directory: directory)
            let payload =
                Array("{\"revision\": 7, \"changes\": [{\"key\": \"ünïcode\\nline\"}]}\n".utf8) + [0, 255, 10]
            runner.fire(HookRequest(revision: 7, payload: payload))
            let done = await reports.waitForCount(1)
            await runner.shutdown()
            #expect(done.first?.succeeded == true)
            #expect(directory.read("payload") == payload)
        }

        @Test func environmentCarriesTheRequestVariablesOverTheBase() async throws {
            let directory = TemporaryDirectory("podmeta-process")
            defer { directory.remove() }
            let (runner, reports, _) = makeRunner(
                HookDefinition(
                    name: "env",
                    command: .argv([
                        "/bin/sh", "-c",
                        "printf '%s|%s|%s' \"$PODMETA_REVISION\" \"$PODMETA_CHANGED\" \"$DIR\" > \"$DIR/env\"",
                    ])),
                directory: directory)
            runner.fire(
                HookRequest(
                    revision: 12, payload: [],
                    environment: ["PODMETA_REVISION": "12", "PODMETA_CHANGED": "labels/version annotations/x"]))
            let done = await reports.waitForCount(1)
            await runner.shutdown()
            #expect(done.first?.revision == 12)
            #expect(done.first?.exitCode == 0)
            #expect(directory.text("env") == "12|labels/version annotations/x|\(directory.path)")
        }

        @Test func aHungHookIsKilledAtItsTimeoutWithItsGrandchildren() async throws {
            let directory = TemporaryDirectory("podmeta-process")
            defer { directory.remove() }
            let (runner, reports, logs) = makeRunner(
                HookDefinition(
                    name: "hung", command: .shell("sleep 100 & echo $! > \"$DIR/grandchild\"; sleep 100"),
                    timeout: .seconds(1), killGrace: .seconds(2)),
                directory: directory)
            runner.fire(HookRequest(revision: 3, payload: []))
            let report = try #require(await reports.waitForCount(1).first)
            await runner.shutdown()
            #expect(report.failure == .timeout)
            #expect(report.exitStatus == .signaled(.terminate))
            let group = try #require(report.pid)
            #expect(await eventually { liveMembers(ofProcessGroup: group).isEmpty })
            let grandchild = try #require(directory.text("grandchild").flatMap { Int32($0.dropLast()) })
            #expect(!isRunning(grandchild))
            let logged = try #require(logs.all.first { $0.level == .error })
            #expect(logged.message == "hook timed out after 1s and was killed")
            #expect(logged.metadata["hook"] == "hung")
            #expect(logged.metadata["revision"] == "3")
            #expect(logged.metadata["reason"] == "timeout")
        }

        @Test func aHookIgnoringSIGTERMGetsSIGKILLAfterTheGrace() async throws {
            let directory = TemporaryDirectory("podmeta-process")
            defer { directory.remove() }
            let (runner, reports, _) = makeRunner(
                HookDefinition(
                    name: "stubborn", command: .shell("trap '' TERM; sleep 100 & while :; do sleep 0.05; done"),
                    timeout: .milliseconds(300), killGrace: .milliseconds(300)),
                directory: directory)
            runner.fire(HookRequest(payload: []))
            let report = try #require(await reports.waitForCount(1).first)
            await runner.shutdown()
            #expect(report.failure == .timeout)
            #expect(report.exitCode == 137)
            let group = try #require(report.pid)
            #expect(await eventually { liveMembers(ofProcessGroup: group).isEmpty })
        }

        @Test func requestsDuringARunCoalesceIntoOneRunWithTheLatestPayload() async throws {
            let directory = TemporaryDirectory("podmeta-process")
            defer { directory.remove() }
            let script = """
                echo "$PODMETA_REVISION" >> "$DIR/runs"
                cat > "$DIR/payload-$PODMETA_REVISION"
                while [ ! -e "$DIR/release" ]; do sleep 0.02; done
                """
            let (runner, reports, logs) = makeRunner(
                HookDefinition(name: "slow", command: .shell(script)), directory: directory)
            func request(_ revision: UInt64) -> HookRequest {
                HookRequest(
                    revision: revision, payload: Array("payload \(revision)".utf8),
                    environment: ["PODMETA_REVISION": "\(revision)"])
            }
            runner.fire(request(1))
            #expect(await eventually { directory.text("runs") == "1\n" })
            for revision in 2...21 { runner.fire(request(UInt64(revision))) }
            directory.write("release", "")
            let done = await reports.waitForCount(2)
            await runner.shutdown()
            #expect(reports.all.count == 2)
            #expect(done.map(\.revision) == [1, 21])
            #expect(done.map(\.requests) == [1, 20])
            #expect(directory.text("runs") == "1\n21\n")
            #expect(directory.text("payload-21") == "payload 21")
            #expect(!logs.all.contains { $0.message.contains("dropped") })
        }

        @Test func quiescenceWaitsForCalmAndRunsOnceWithTheLatest() async throws {
            let directory = TemporaryDirectory("podmeta-process")
            defer { directory.remove() }
            let (runner, reports, _) = makeRunner(
                HookDefinition(
                    name: "calm", command: .shell("cat >> \"$DIR/seen\"; echo >> \"$DIR/seen\""),
                    quiescence: HookQuiescence(minimum: .seconds(1), maximum: .seconds(30))),
                directory: directory)
            for revision in 1...5 {
                runner.fire(HookRequest(revision: UInt64(revision), payload: Array("r\(revision)".utf8)))
            }
            let done = await reports.waitForCount(1)
            await runner.shutdown()
            #expect(reports.all.count == 1)
            #expect(done.first?.revision == 5)
            #expect(done.first?.requests == 5)
            #expect(directory.text("seen") == "r5\n")
        }

        @Test func quiescenceNeverWaitsPastItsMaximum() async throws {
            let directory = TemporaryDirectory("podmeta-process")
            defer { directory.remove() }
            let (runner, reports, _) = makeRunner(
                HookDefinition(
                    name: "busy", command: .shell("true"),
                    quiescence: HookQuiescence(minimum: .seconds(1), maximum: .seconds(2))),
                directory: directory)
            // Triggers far more often than the minimum: without the maximum nothing would run
            // until they stop; with it, runs happen while they keep coming.
            var revision: UInt64 = 0
            let stopAt = ContinuousClock.now + .seconds(30)
            while reports.all.count < 2, ContinuousClock.now < stopAt {
                revision += 1
                runner.fire(HookRequest(revision: revision, payload: []))
                try await Task.sleep(for: .milliseconds(20))
            }
            let runs = reports.all
            await runner.shutdown()
            #expect(runs.count == 2)
            #expect(runs.allSatisfy { $0.requests > 1 })
            let revisions = runs.compactMap(\.revision)
            #expect(revisions.count == 2 && revisions[0] < revisions[1])
        }

        @Test func splayDelaysTheRunAndChangesArrivingMeanwhileJoinIt() async throws {
            let directory = TemporaryDirectory("podmeta-process")
            defer { directory.remove() }
            var hook = HookDefinition(name: "spread", command: .shell("cat >> \"$DIR/seen\"; echo >> \"$DIR/seen\""))
            hook.splay = .seconds(2)
            // Half the splay, every time: a 1 s delay.
            let (runner, reports, logs) = makeRunner(hook, directory: directory, splayFraction: { 0.5 })
            let start = ContinuousClock.now
            runner.fire(HookRequest(revision: 1, payload: Array("r1".utf8)))
            #expect(await eventually { logs.all.contains { $0.message == "hook run delayed by splay" } })
            for revision in 2...4 {
                runner.fire(HookRequest(revision: UInt64(revision), payload: Array("r\(revision)".utf8)))
            }
            let done = await reports.waitForCount(1)
            let elapsed = start.duration(to: .now)
            await runner.shutdown()
            #expect(elapsed >= .seconds(1))
            #expect(reports.all.count == 1)
            #expect(done.first?.revision == 4)
            #expect(done.first?.requests == 4)
            #expect(directory.text("seen") == "r4\n")
        }

        @Test func shutdownCancelsASplayDelayAndDropsItsRequest() async throws {
            let directory = TemporaryDirectory("podmeta-process")
            defer { directory.remove() }
            var hook = HookDefinition(name: "spread", command: .shell("touch \"$DIR/ran\""))
            hook.splay = .seconds(3600)
            let (runner, reports, logs) = makeRunner(hook, directory: directory, splayFraction: { 1 })
            runner.fire(HookRequest(revision: 1, payload: []))
            #expect(await eventually { logs.all.contains { $0.message == "hook run delayed by splay" } })
            let start = ContinuousClock.now
            await runner.shutdown(deadline: .seconds(30))
            // Without the cancellation shutdown would wait out the hour's delay or its deadline.
            #expect(start.duration(to: .now) < .seconds(20))
            #expect(reports.all.isEmpty)
            #expect(!directory.exists("ran"))
        }

        @Test func failuresAreReportedAndLoggedNeverThrown() async throws {
            let directory = TemporaryDirectory("podmeta-process")
            defer { directory.remove() }
            let (failing, failingReports, logs) = makeRunner(
                HookDefinition(name: "fails", command: .shell("echo oops >&2; exit 3"), standardError: .capture),
                directory: directory)
            failing.fire(HookRequest(revision: 9, payload: []))
            let report = try #require(await failingReports.waitForCount(1).first)
            await failing.shutdown()
            #expect(report.failure == .exitStatus)
            #expect(report.exitCode == 3)
            let logged = try #require(logs.all.first { $0.level == .error })
            #expect(logged.message == "hook failed with exit status 3")
            #expect(logged.metadata["hook"] == "fails")
            #expect(logged.metadata["revision"] == "9")
            #expect(logged.metadata["status"] == "exit status 3")
            #expect(logged.metadata["exit_code"] == "3")
            #expect(logged.metadata["duration"] != nil)
            #expect(logged.metadata["stderr"] == "oops\n")

            let (missing, missingReports, _) = makeRunner(
                HookDefinition(name: "missing", command: .argv(["/nonexistent/hook"])), directory: directory)
            missing.fire(HookRequest(revision: 10, payload: []))
            let spawnReport = try #require(await missingReports.waitForCount(1).first)
            await missing.shutdown()
            #expect(spawnReport.failure == .spawn)
            #expect(spawnReport.exitCode == 127)
            #expect(spawnReport.errorDescription == "cannot run \"/nonexistent/hook\": no such file")

            let (killed, killedReports, _) = makeRunner(
                HookDefinition(name: "signal", command: .shell("kill -USR2 $$")), directory: directory)
            killed.fire(HookRequest(payload: []))
            let signalReport = try #require(await killedReports.waitForCount(1).first)
            await killed.shutdown()
            #expect(signalReport.failure == .signal)
            #expect(signalReport.exitCode == 128 + SIGUSR2)
        }

        @Test func shutdownKillsARunningHookAfterItsDeadline() async throws {
            let directory = TemporaryDirectory("podmeta-process")
            defer { directory.remove() }
            let (runner, reports, _) = makeRunner(
                HookDefinition(
                    name: "long", command: .shell("touch \"$DIR/started\"; sleep 100"),
                    timeout: .seconds(600), killGrace: .seconds(2)),
                directory: directory)
            runner.fire(HookRequest(revision: 1, payload: []))
            #expect(await eventually { directory.exists("started") })
            await runner.shutdown(deadline: .milliseconds(200))
            let report = try #require(reports.all.first)
            #expect(report.failure == .shutdown)
            #expect(report.exitStatus == .signaled(.terminate))
            #expect(await eventually { liveMembers(ofProcessGroup: report.pid ?? 0).isEmpty })
            // Fired after shutdown: ignored, nothing runs.
            runner.fire(HookRequest(revision: 2, payload: []))
            await runner.shutdown()
            #expect(reports.all.count == 1)
        }

        @Test func shutdownWaitsForAHookThatFinishesInTime() async throws {
            let directory = TemporaryDirectory("podmeta-process")
            defer { directory.remove() }
            let (runner, reports, _) = makeRunner(
                HookDefinition(name: "short", command: .shell("touch \"$DIR/started\"; sleep 0.3; exit 0")),
                directory: directory)
            runner.fire(HookRequest(payload: []))
            #expect(await eventually { directory.exists("started") })
            await runner.shutdown(deadline: .seconds(30))
            #expect(reports.all.map(\.failure) == [nil])
        }

        /// A hook's lines are logged by its output pump on a thread of their own, possibly after
        /// the child has been reaped: a run ends only once they are all logged, or an agent
        /// stopped just as a hook exits loses the hook's last lines. A slow log (a blocked
        /// stderr) makes the pump lag behind the exit.
        @Test func aHooksLastLinesAreLoggedBeforeShutdownReturns() async throws {
            let directory = TemporaryDirectory("podmeta-process")
            defer { directory.remove() }
            let logs = Recorder<CapturedLogEntry>()
            let logger = Logger(label: "test") { _ in SlowOutputLogHandler(inner: CapturingLogHandler(recorder: logs)) }
            let reports = Recorder<HookRunReport>()
            let runner = HookRunner(
                hook: HookDefinition(
                    name: "talk", command: .shell("touch \"$DIR/started\"; printf 'one\\ntwo\\nthree'")),
                environment: basicEnvironment.merging(["DIR": directory.path]) { $1 }, logger: logger,
                report: { reports.record($0) })
            Task { await runner.run() }
            runner.fire(HookRequest(payload: []))
            #expect(await eventually { directory.exists("started") })
            await runner.shutdown(deadline: .seconds(30))
            #expect(reports.all.map(\.failure) == [nil])
            let messages = logs.all.map(\.message)
            let lines = logs.all.filter { $0.message == "hook output" }.map { $0.metadata["line"] }
            #expect(lines == ["one", "two", "three"])
            #expect(messages.lastIndex(of: "hook output") ?? .max < messages.firstIndex(of: "hook succeeded") ?? -1)
        }

        @Test(arguments: [
            ("5s", Duration.seconds(5), Duration.seconds(20)),
            ("5s:30s", .seconds(5), .seconds(30)),
            ("500ms:500ms", .milliseconds(500), .milliseconds(500)),
            ("0s", .zero, .zero),
        ])
        func quiescenceParses(text: String, minimum: Duration, maximum: Duration) throws {
            let quiescence = try HookQuiescence(parsing: text, parseDuration: parseTestDuration)
            #expect(quiescence.minimum == minimum)
            #expect(quiescence.maximum == maximum)
        }

        @Test(arguments: [
            ("30s:5s", "wait \"30s:5s\": the maximum 5s is shorter than the minimum 30s: give a MAX at least MIN"),
            ("soon", "wait \"soon\": \"soon\" is not a duration: write MIN or MIN:MAX, such as 2s or 2s:10s"),
            ("1s:later", "wait \"1s:later\": \"later\" is not a duration: write MIN:MAX, such as 2s:10s"),
            ("1s:2s:3s", "wait \"1s:2s:3s\": write MIN or MIN:MAX, such as 2s or 2s:10s"),
        ])
        func quiescenceRefuses(text: String, message: String) {
            let error = #expect(throws: HookQuiescence.ParseError.self) {
                try HookQuiescence(parsing: text, parseDuration: parseTestDuration)
            }
            #expect(error?.description == message)
        }

        @Test func quiescenceDeadlineIsTheEarlierOfCalmAndMaximum() {
            let quiescence = HookQuiescence(minimum: .seconds(2), maximum: .seconds(5))
            let start = ContinuousClock.now
            #expect(quiescence.deadline(firstTrigger: start, lastTrigger: start) == start + .seconds(2))
            #expect(quiescence.deadline(firstTrigger: start, lastTrigger: start + .seconds(1)) == start + .seconds(3))
            #expect(quiescence.deadline(firstTrigger: start, lastTrigger: start + .seconds(4)) == start + .seconds(5))
        }
    }
}

/// Delivers each "hook output" record 100 ms late, as a log writing to a slow or blocked
/// stderr would.
private struct SlowOutputLogHandler: LogHandler {
    var inner: CapturingLogHandler
    var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }
    var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        if "\(event.message)" == "hook output" { usleep(100_000) }
        inner.log(event: event)
    }
}
