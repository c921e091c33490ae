import Glibc
import Logging
import PodmetaTestSupport
import Testing

@testable import PodmetaProcess

extension PodmetaProcessTests {
    /// Each test runs its scenario in a child process (see ``SupervisorScenarios``) and
    /// sends real signals to that process: the supervisor's handlers are installed before its
    /// first `.started` event, and every scenario waits for that event (and for the child's
    /// own traps, via a `ready` file) before signalling.
    @Suite struct ExecSupervisorTests {
        @Test func sigtermIsForwardedAndTheChildsStatusComesBack() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await SupervisorScenarios.sigtermIsForwardedAndTheChildsStatusComesBack() }
            }
        }

        @Test func aChildKilledByAForwardedSignalReports128PlusN() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await SupervisorScenarios.aChildKilledByAForwardedSignalReports128PlusN() }
            }
        }

        @Test func gracePeriodEscalatesToSIGKILL() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await SupervisorScenarios.gracePeriodEscalatesToSIGKILL() }
            }
        }

        @Test func otherSignalsAreForwardedToo() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await SupervisorScenarios.otherSignalsAreForwardedToo() }
            }
        }

        @Test func theReloadSignalIsSentOnEveryChange() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await SupervisorScenarios.theReloadSignalIsSentOnEveryChange() }
            }
        }

        @Test func restartOnChangeStartsTheChildWithTheNewEnvironment() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await SupervisorScenarios.restartOnChangeStartsTheChildWithTheNewEnvironment() }
            }
        }

        @Test func orphanedGrandchildrenAreReapedAsSubreaper() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await SupervisorScenarios.orphanedGrandchildrenAreReapedAsSubreaper() }
            }
        }

        @Test func aCommandThatCannotRunReturns127Or126() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await SupervisorScenarios.aCommandThatCannotRunReturns127Or126() }
            }
        }

        @Test func handlersAreInstalledOnlyWhileSupervising() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await SupervisorScenarios.handlersAreInstalledOnlyWhileSupervising() }
            }
        }
    }
}

/// The bodies of the ExecSupervisor tests. Each runs in a child process of its own (an exit
/// test): while it supervises, the supervisor reaps with waitpid(-1), turns the process into
/// a child subreaper and takes over its signal handlers, and none of that may touch the
/// test process, whose other children (exit tests of other suites) Swift Testing waits for.
enum SupervisorScenarios {
    struct Harness {
        let directory = TemporaryDirectory("podmeta-process")
        let events = Recorder<ExecSupervisorEvent>()
        let changes: AsyncStream<[String: String]>
        let changesContinuation: AsyncStream<[String: String]>.Continuation

        init() {
            (changes, changesContinuation) = AsyncStream<[String: String]>.makeStream()
        }

        var environment: [String: String] { basicEnvironment.merging(["DIR": directory.path]) { $1 } }

        /// `.separate` explicitly: `.automatic` would share our group when the tests run on a terminal.
        func supervisor(
            _ script: String, mode: ExecSupervisor.Mode,
            options: ExecSupervisor.Options = .init(processGroup: .separate),
            environment extra: [String: String] = [:]
        ) -> ExecSupervisor {
            let (logger, _) = CapturingLogHandler.logger()
            return ExecSupervisor(
                command: ["/bin/sh", "-c", script], environment: environment.merging(extra) { $1 }, mode: mode,
                options: options, logger: logger, onEvent: { [events] in events.record($0) })
        }

        func started() -> [Int32] {
            events.all.compactMap { if case .started(let pid) = $0 { pid } else { nil } }
        }

        /// The supervisor's result; a broken supervisor must fail the test, not hang it,
        /// so after a generous limit its children are killed and an issue recorded.
        func result(of run: Task<Int32, Never>, within limit: Duration = .seconds(60)) async -> Int32 {
            let finished = Recorder<Int32>()
            let watchdog = Task {
                try await Task.sleep(for: limit)
                if finished.all.isEmpty {
                    for pid in started() { kill(-pid, SIGKILL); kill(pid, SIGKILL) }
                }
            }
            let code = await run.value
            finished.record(code)
            watchdog.cancel()
            if (try? await watchdog.value) != nil {
                Issue.record("the supervisor did not finish within \(limit); its children were killed")
            }
            return code
        }
    }

    /// Loops in short sleeps so the shell runs its traps promptly.
    static let idle = "touch \"$DIR/ready\"; while :; do sleep 0.05; done"

    static func sigtermIsForwardedAndTheChildsStatusComesBack() async throws {
        let harness = Harness()
        defer { harness.directory.remove() }
        let supervisor = harness.supervisor("trap 'exit 42' TERM; " + idle, mode: .reload(signal: .hangup))
        let run = Task { await supervisor.run(changes: harness.changes) }
        #expect(await eventually { harness.directory.exists("ready") && harness.started().count == 1 })
        kill(getpid(), SIGTERM)
        #expect(await harness.result(of: run) == 42)
        let pid = try #require(harness.started().first)
        #expect(harness.events.all.contains(.forwarded(signal: .terminate, target: pid)))
        #expect(harness.events.all.contains(.childExited(pid: pid, status: .exited(42))))
    }

    static func aChildKilledByAForwardedSignalReports128PlusN() async throws {
        let harness = Harness()
        defer { harness.directory.remove() }
        let supervisor = harness.supervisor(
            "trap '' TERM; " + idle, mode: .restart,
            options: .init(gracePeriod: .milliseconds(300), processGroup: .separate))
        let run = Task { await supervisor.run(changes: harness.changes) }
        #expect(await eventually { harness.directory.exists("ready") && harness.started().count == 1 })
        // No trap for SIGINT: the forwarded signal kills the shell.
        kill(getpid(), SIGINT)
        #expect(await harness.result(of: run) == 128 + SIGINT)
    }

    static func gracePeriodEscalatesToSIGKILL() async throws {
        let harness = Harness()
        defer { harness.directory.remove() }
        let supervisor = harness.supervisor(
            "trap '' TERM INT; " + idle, mode: .restart,
            options: .init(gracePeriod: .milliseconds(300), processGroup: .separate))
        let run = Task { await supervisor.run(changes: harness.changes) }
        #expect(await eventually { harness.directory.exists("ready") && harness.started().count == 1 })
        kill(getpid(), SIGTERM)
        #expect(await harness.result(of: run) == 137)
        let pid = try #require(harness.started().first)
        #expect(harness.events.all.contains(.killed(target: -pid)))
    }

    static func otherSignalsAreForwardedToo() async throws {
        let harness = Harness()
        defer { harness.directory.remove() }
        let supervisor = harness.supervisor(
            "trap 'echo usr1 >> \"$DIR/got\"' USR1; trap 'echo winch >> \"$DIR/got\"' WINCH; trap 'exit 0' TERM; "
                + idle,
            mode: .reload(signal: .hangup))
        let run = Task { await supervisor.run(changes: harness.changes) }
        #expect(await eventually { harness.directory.exists("ready") && harness.started().count == 1 })
        kill(getpid(), SIGUSR1)
        #expect(await eventually { harness.directory.text("got") == "usr1\n" })
        kill(getpid(), SIGWINCH)
        #expect(await eventually { harness.directory.text("got") == "usr1\nwinch\n" })
        kill(getpid(), SIGTERM)
        #expect(await harness.result(of: run) == 0)
    }

    static func theReloadSignalIsSentOnEveryChange() async throws {
        let harness = Harness()
        defer { harness.directory.remove() }
        let supervisor = harness.supervisor(
            "trap 'echo hup >> \"$DIR/hups\"' HUP; trap 'exit 0' TERM; " + idle, mode: .reload(signal: .hangup)
        )
        let run = Task { await supervisor.run(changes: harness.changes) }
        #expect(await eventually { harness.directory.exists("ready") && harness.started().count == 1 })
        harness.changesContinuation.yield(["IGNORED": "in reload mode"])
        #expect(await eventually { harness.directory.text("hups") == "hup\n" })
        harness.changesContinuation.yield(["IGNORED": "again"])
        #expect(await eventually { harness.directory.text("hups") == "hup\nhup\n" })
        // Cancelling run() stops the child like SIGTERM.
        run.cancel()
        #expect(await harness.result(of: run) == 0)
        let pid = try #require(harness.started().first)
        #expect(harness.events.all.filter { $0 == .reloadSignalSent(signal: .hangup, target: pid) }.count == 2)
        #expect(harness.started().count == 1)
    }

    static func restartOnChangeStartsTheChildWithTheNewEnvironment() async throws {
        let harness = Harness()
        defer { harness.directory.remove() }
        let supervisor = harness.supervisor(
            "echo \"$GENERATION\" >> \"$DIR/generations\"; trap 'exit 0' TERM; " + idle,
            mode: .restart, environment: ["GENERATION": "1"])
        let run = Task { await supervisor.run(changes: harness.changes) }
        #expect(await eventually { harness.directory.exists("ready") && harness.started().count == 1 })
        unlink(harness.directory.sub("ready"))
        harness.changesContinuation.yield(harness.environment.merging(["GENERATION": "2"]) { $1 })
        #expect(await eventually { harness.directory.exists("ready") && harness.started().count == 2 })
        #expect(harness.directory.text("generations") == "1\n2\n")
        kill(getpid(), SIGTERM)
        #expect(await harness.result(of: run) == 0)
        let pids = harness.started()
        #expect(
            harness.events.all.prefix(4) == [
                .started(pid: pids[0]), .restarting(pid: pids[0]),
                .childExited(pid: pids[0], status: .exited(0)), .started(pid: pids[1]),
            ])
    }

    static func orphanedGrandchildrenAreReapedAsSubreaper() async throws {
        let harness = Harness()
        defer { harness.directory.remove() }
        #expect(ChildSubreaper.isEnabled == false)
        // The inner shell exits at once, orphaning its background sleep: re-parented to
        // us as subreaper, it must be reaped by us when it exits.
        let script = """
            sh -c 'sleep 0.2 & echo $! > "$DIR/orphan"'
            while [ ! -e "$DIR/done" ]; do sleep 0.02; done
            exit 7
            """
        let supervisor = harness.supervisor(script, mode: .reload(signal: .hangup))
        let run = Task { await supervisor.run(changes: harness.changes) }
        #expect(await eventually { harness.directory.text("orphan")?.hasSuffix("\n") == true })
        let orphan = try #require(harness.directory.text("orphan").flatMap { Int32($0.dropLast()) })
        #expect(
            await eventually { harness.events.all.contains(.reapedDescendant(pid: orphan, status: .exited(0))) })
        #expect(processState(orphan) == nil)  // gone entirely: not even a zombie
        harness.directory.write("done", "")
        #expect(await harness.result(of: run) == 7)
        #expect(ChildSubreaper.isEnabled == false)  // restored
    }

    static func aCommandThatCannotRunReturns127Or126() async throws {
        let harness = Harness()
        defer { harness.directory.remove() }
        harness.directory.write("not-executable", "#!/bin/sh\n", mode: 0o644)
        let (logger, _) = CapturingLogHandler.logger()
        for mode in [ExecSupervisor.Mode.restart, .replace] {
            let missing = ExecSupervisor(
                command: ["podmeta-no-such-command"], environment: basicEnvironment, mode: mode, logger: logger)
            #expect(await missing.run(changes: harness.changes) == 127)
            let denied = ExecSupervisor(
                command: [harness.directory.sub("not-executable")], environment: basicEnvironment, mode: mode,
                logger: logger)
            #expect(await denied.run(changes: harness.changes) == 126)
        }
    }

    static func handlersAreInstalledOnlyWhileSupervising() async throws {
        let harness = Harness()
        defer { harness.directory.remove() }
        var before = sigaction()
        sigaction(SIGTERM, nil, &before)
        let supervisor = harness.supervisor("trap 'exit 0' TERM; " + idle, mode: .restart)
        let run = Task { await supervisor.run(changes: harness.changes) }
        #expect(await eventually { harness.directory.exists("ready") && harness.started().count == 1 })
        var during = sigaction()
        sigaction(SIGTERM, nil, &during)
        #expect(during.sa_flags & SA_SIGINFO != 0)
        kill(getpid(), SIGTERM)
        #expect(await harness.result(of: run) == 0)
        var after = sigaction()
        sigaction(SIGTERM, nil, &after)
        #expect(
            unsafeBitCast(after.__sigaction_handler.sa_handler, to: Int.self)
                == unsafeBitCast(before.__sigaction_handler.sa_handler, to: Int.self))
        // (glibc adds SA_RESTORER to any action it installs, so compare the flag we set.)
        #expect(after.sa_flags & SA_SIGINFO == before.sa_flags & SA_SIGINFO)
    }
}
