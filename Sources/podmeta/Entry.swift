import ArgumentParser
import Dispatch
import Glibc
import PodmetaExecutor
import PodmetaSettings
import PodmetaSystem
import Synchronization

/// Runs the command line and turns every error into one `podmeta: ` line on stderr and the
/// exit status of ``CommandExitStatus``.
@main
enum Entry {
    static func main() {
        // `get`'s everyday command lines skip argument-parser: see GetFastPath.
        if let request = GetFastPath.request(CommandLine.arguments) {
            do {
                try request.run()
                exit(CommandExitStatus.success.rawValue)
            } catch {
                exit(outcome(error).rawValue)
            }
        }
        let status: CommandExitStatus
        do {
            var command = try Podmeta.parseAsRoot()
            // The long-running commands idle without timers on a NIO event loop (not
            // libdispatch's pool, which wakes every second); installed before the command's task
            // starts, so that no job of it lands on libdispatch.
            if command is AgentCommand || command is ExecCommand {
                GlobalExecutor.install()
                // From here on, a page of the program's files that is not resident (not
                // touched yet, or reclaimed under the container's limit) is read alone, not
                // with a read-ahead window the container is charged for (ProgramPaging).
                ProgramPaging.adviseRandomAccess()
            }
            if let asyncCommand = command as? AsyncParsableCommand {
                status = runWaiting(asyncCommand)
            } else {
                try command.run()
                status = .success
            }
        } catch {
            status = outcome(error)
        }
        exit(status.rawValue)
    }

    /// Runs an async command in a task while the main thread waits for it. An `async` main
    /// would hand the main thread to libdispatch's `dispatch_main`, which ends it with
    /// `pthread_exit`: that unwinds the thread's stack through the binary's unwind tables,
    /// and every agent kept about 0.7 MB of them resident for it (BENCHMARKS.md, "Binary
    /// layout"). Nothing in podmeta runs on the main actor.
    static func runWaiting(_ command: sending any AsyncParsableCommand) -> CommandExitStatus {
        let status = Mutex<CommandExitStatus>(.success)
        let finished = DispatchSemaphore(value: 0)
        Task {
            var command = command
            do {
                try await command.run()
            } catch {
                let failure = outcome(error)
                status.withLock { $0 = failure }
            }
            finished.signal()
        }
        finished.wait()
        return status.withLock { $0 }
    }

    /// A command's error as one `podmeta: ` line on stderr, and its exit status.
    static func outcome(_ error: any Error) -> CommandExitStatus {
        // The concrete type first: a cast to it is a comparison, while the first cast to a
        // protocol scans every conformance in the binary.
        if let error = error as? CLIError {
            StandardError.write("podmeta: \(error.message)")
            return error.exitStatus
        }
        if let error = error as? any CommandLineError {
            StandardError.write("podmeta: \(error.description)")
            return error.exitStatus
        }
        return argumentParserOutcome(error)
    }

    /// `--help` and `--version` (printed to stdout), and what argument-parser refused: an
    /// unknown flag, a bad value, a failed `validate()`, all usage errors (2). Its own
    /// `Error: ` prefix becomes podmeta's.
    static func argumentParserOutcome(_ error: any Error) -> CommandExitStatus {
        let code = Podmeta.exitCode(for: error)
        let text = Podmeta.fullMessage(for: error)
        if code == .success {
            print(text)
            return .success
        }
        let prefix = "Error: "
        let message = text.hasPrefix(prefix) ? "podmeta: " + text.dropFirst(prefix.count) : "podmeta: " + text
        StandardError.write(message)
        return code == .validationFailure ? .usage : .failure
    }
}
