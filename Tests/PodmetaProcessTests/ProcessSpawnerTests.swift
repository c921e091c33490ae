import Glibc
import PodmetaTestSupport
import Testing

@testable import PodmetaProcess

extension PodmetaProcessTests {
    @Suite struct ProcessSpawnerTests {
        let spawner = ProcessSpawner()

        /// The shell-style code of running `command`: its status, or the spawn error's code.
        func code(of command: ProcessCommand, environment: [String: String] = basicEnvironment) async -> Int32 {
            do {
                let child = try spawner.spawn(ProcessSpec(command: command, environment: environment))
                return await child.wait().code
            } catch {
                return error.exitCode
            }
        }

        @Test(
            arguments: [
                ("exit 0", 0),
                ("exit 3", 3),
                ("exit 255", 255),
                ("kill -KILL $$", 128 + 9),
                ("kill -TERM $$", 128 + 15),
                ("kill -HUP $$", 128 + 1),
            ] as [(String, Int32)])
        func exitCodes(script: String, expected: Int32) async {
            #expect(await code(of: .shell(script)) == expected)
        }

        @Test func statusDistinguishesExitFromSignal() async throws {
            let killed = try spawner.spawn(ProcessSpec(command: .shell("kill -USR1 $$"), environment: basicEnvironment))
            #expect(await killed.wait() == .signaled(.user1))
            let exited = try spawner.spawn(ProcessSpec(command: .shell("exit 138"), environment: basicEnvironment))
            #expect(await exited.wait() == .exited(138))
            #expect(ExitStatus.signaled(.user1).code == ExitStatus.exited(138).code)
        }

        @Test func commandNotFoundInPathIs127() throws {
            let error = #expect(throws: SpawnError.self) {
                try spawner.spawn(
                    ProcessSpec(command: .argv(["podmeta-no-such-command"]), environment: ["PATH": "/usr/bin:/bin"]))
            }
            #expect(error?.exitCode == 127)
            #expect(error?.kind == .commandNotFound(searchPath: "/usr/bin:/bin"))
            #expect(
                error?.description
                    == "cannot run \"podmeta-no-such-command\": command not found in PATH \"/usr/bin:/bin\"")
        }

        @Test func missingPathIs127() async {
            #expect(await code(of: .argv(["/nonexistent/podmeta/tool"])) == 127)
        }

        @Test func missingInterpreterIs127() async throws {
            let directory = TemporaryDirectory("podmeta-process")
            defer { directory.remove() }
            directory.write("script", "#!/nonexistent/interpreter\n", mode: 0o755)
            let error = #expect(throws: SpawnError.self) {
                try spawner.spawn(
                    ProcessSpec(command: .argv([directory.sub("script")]), environment: basicEnvironment))
            }
            #expect(error?.kind == .interpreterNotFound)
            #expect(error?.exitCode == 127)
        }

        @Test func notExecutableIs126() async throws {
            let directory = TemporaryDirectory("podmeta-process")
            defer { directory.remove() }
            directory.write("script", "#!/bin/sh\nexit 0\n", mode: 0o644)
            #expect(await code(of: .argv([directory.sub("script")])) == 126)
            // Found by a PATH search but not executable: execvp's EACCES, also 126.
            #expect(await code(of: .argv(["script"]), environment: ["PATH": directory.path]) == 126)
            // A directory cannot be run either.
            let error = #expect(throws: SpawnError.self) {
                try spawner.spawn(ProcessSpec(command: .argv([directory.path]), environment: basicEnvironment))
            }
            #expect(error?.exitCode == 126)
            #expect(error?.description == "cannot run \"\(directory.path)\": it is a directory")
        }

        @Test func pathSearchUsesTheChildEnvironment() async throws {
            let directory = TemporaryDirectory("podmeta-process")
            defer { directory.remove() }
            directory.write("podmeta-test-tool", "#!/bin/sh\nexit 7\n", mode: 0o755)
            #expect(
                await code(of: .argv(["podmeta-test-tool"]), environment: ["PATH": "/nonexistent:" + directory.path])
                    == 7)
        }

        @Test func emptyCommandAndNULBytesAreRefused() {
            #expect(throws: SpawnError.self) { try spawner.spawn(ProcessSpec(command: .argv([]), environment: [:])) }
            let error = #expect(throws: SpawnError.self) {
                try spawner.spawn(ProcessSpec(command: .argv(["/bin/echo", "a\u{0}b"]), environment: [:]))
            }
            #expect(error?.description == "cannot run \"/bin/echo\": argument 1 contains a NUL byte")
        }

        @Test func environmentIsExactlyTheGivenOne() async throws {
            let environment = ["A": "1", "B": "two words", "PODMETA_CHANGED": "labels/version annotations/x"]
            let child = try spawner.spawn(
                ProcessSpec(
                    command: .argv(["/usr/bin/env"]), environment: environment, standardOutput: .capture))
            #expect(await child.wait() == .exited(0))
            let lines = String(decoding: await child.output().standardOutput, as: UTF8.self).split(separator: "\n")
            #expect(lines.sorted() == ["A=1", "B=two words", "PODMETA_CHANGED=labels/version annotations/x"])
        }

        @Test func stdinPayloadArrivesExactly() async throws {
            // Larger than a pipe buffer, every byte value, so partial writes and binary data are exercised.
            let payload = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let child = try spawner.spawn(
                ProcessSpec(
                    command: .argv(["/bin/cat"]), environment: basicEnvironment,
                    standardInput: .bytes(payload), standardOutput: .capture(limit: 1 << 20)))
            #expect(await child.wait() == .exited(0))
            let output = await child.output()
            #expect(output.standardOutput == payload)
            #expect(!output.standardOutputTruncated)
        }

        @Test func aChildThatNeverReadsStdinDoesNotBlockUs() async throws {
            let payload = [UInt8](repeating: 65, count: 4 << 20)
            let child = try spawner.spawn(
                ProcessSpec(
                    command: .shell("exit 5"), environment: basicEnvironment, standardInput: .bytes(payload)))
            #expect(await child.wait() == .exited(5))
            _ = await child.output()  // the pump finished: EPIPE was ignored, nothing hangs
        }

        @Test func stdoutAndStderrAreCapturedSeparatelyWithLimits() async throws {
            let child = try spawner.spawn(
                ProcessSpec(
                    command: .shell("echo out; echo err >&2; head -c 100000 /dev/zero"), environment: basicEnvironment,
                    standardOutput: .capture(limit: 1000), standardError: .capture))
            #expect(await child.wait() == .exited(0))
            let output = await child.output()
            #expect(output.standardOutput.count == 1000)
            #expect(output.standardOutput.prefix(4) == Array("out\n".utf8)[...])
            #expect(output.standardOutputTruncated)
            #expect(output.standardError == Array("err\n".utf8))
            #expect(!output.standardErrorTruncated)
        }

        @Test func outputCollectionEndsWhenTheChildExitsEvenIfAGrandchildHoldsThePipe() async throws {
            let child = try spawner.spawn(
                ProcessSpec(
                    command: .shell("sleep 30 & echo $!; echo done"), environment: basicEnvironment,
                    standardOutput: .capture))
            #expect(await child.wait() == .exited(0))
            let text = String(decoding: await child.output().standardOutput, as: UTF8.self)
            let lines = text.split(separator: "\n")
            #expect(lines.last == "done")
            if let grandchild = lines.first.flatMap({ Int32($0) }) { kill(grandchild, SIGKILL) }
        }

        @Test(arguments: [true, false])
        func processGroup(newGroup: Bool) async throws {
            let child = try spawner.spawn(
                ProcessSpec(
                    command: .shell("cut -d' ' -f5 /proc/$$/stat"), environment: basicEnvironment,
                    standardOutput: .capture, newProcessGroup: newGroup))
            #expect(await child.wait() == .exited(0))
            let group = String(decoding: await child.output().standardOutput, as: UTF8.self)
            #expect(group == "\(newGroup ? child.pid : getpgrp())\n")
            #expect(child.processGroup == (newGroup ? child.pid : nil))
        }

        @Test func childStartsWithDefaultSignalDispositionsAndEmptyMask() async throws {
            // exec: grep must read its own status. Reading the shell's would race with dash,
            // which blocks every signal while it waits for a child.
            let previous = signal(SIGPIPE, SIG_IGN)
            defer { signal(SIGPIPE, previous) }
            let child = try spawner.spawn(
                ProcessSpec(
                    command: .shell("exec grep -E '^Sig(Ign|Blk)' /proc/self/status"), environment: basicEnvironment,
                    standardOutput: .capture))
            #expect(await child.wait() == .exited(0))
            let text = String(decoding: await child.output().standardOutput, as: UTF8.self)
            var masks: [String: UInt64] = [:]
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: "\t")
                if parts.count == 2 { masks[String(parts[0])] = UInt64(parts[1], radix: 16) }
            }
            #expect(masks["SigBlk:"] == 0)
            // glibc's posix_spawn leaves its two internal signals (32 and 33, never visible to
            // programs) ignored in every child; everything else must be at its default.
            let glibcInternal: UInt64 = (1 << 31) | (1 << 32)
            #expect(masks["SigIgn:"].map { $0 & ~glibcInternal } == 0)
        }

        @Test func terminateKillsTheWholeGroupEscalatingToSIGKILL() async throws {
            let directory = TemporaryDirectory("podmeta-process")
            defer { directory.remove() }
            // The grandchild ignores SIGTERM (an ignored disposition survives exec), so only
            // the SIGKILL after the grace period can end it.
            let child = try spawner.spawn(
                ProcessSpec(
                    command: .shell("(trap '' TERM; exec sleep 100) & echo $! > \"$DIR/grandchild\"; wait"),
                    environment: basicEnvironment.merging(["DIR": directory.path]) { $1 }))
            #expect(await eventually { directory.text("grandchild")?.hasSuffix("\n") == true })
            let grandchild = try #require(Int32(directory.text("grandchild")!.dropLast()))
            #expect(isRunning(grandchild))
            let status = await child.terminate(grace: .milliseconds(300))
            #expect(status == .signaled(.terminate))
            #expect(await eventually { liveMembers(ofProcessGroup: child.pid).isEmpty })
            #expect(!isRunning(grandchild))
        }

        @Test func waitWithTimeoutReturnsPromptChildrenUntouched() async throws {
            let child = try spawner.spawn(ProcessSpec(command: .shell("exit 4"), environment: basicEnvironment))
            let (status, timedOut) = await child.wait(timeout: .seconds(60))
            #expect(status == .exited(4))
            #expect(!timedOut)
            #expect(!child.signal(.terminate))  // reaped: never signals a recycled pid
        }

        @Test func shellCommandsAndArgvDescribeThemselves() {
            #expect(ProcessCommand.shell("echo hi").arguments == ["/bin/sh", "-c", "echo hi"])
            #expect(ProcessCommand.argv(["/bin/echo", "a b", "it's"]).description == "/bin/echo 'a b' 'it'\\''s'")
        }
    }
}
