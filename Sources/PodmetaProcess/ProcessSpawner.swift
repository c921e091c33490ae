import Glibc
import PodmetaSystem

/// Starts child processes with posix_spawn.
///
/// Each child gets its own process group by default, signal dispositions reset to default,
/// an explicit environment (nothing inherited), and stdin from `/dev/null`, our stdin, or a
/// pipe fed with given bytes. Program lookup follows execvp, using the child's PATH.
public struct ProcessSpawner: Sendable {
    public init() {}

    /// Starts `spec`. Never blocks on the child: stdin bytes are written by a helper thread.
    /// - Throws: `SpawnError` when the program is missing (exitCode 127) or cannot be run (126).
    public func spawn(_ spec: ProcessSpec) throws(SpawnError) -> ChildProcess {
        let launched = try ChildReaper.shared.spawn { () throws(SpawnError) -> PosixSpawn.Launched in
            try PosixSpawn.launch(
                arguments: spec.command.arguments, environment: spec.environment,
                standardInput: spec.standardInput, standardOutput: spec.standardOutput,
                standardError: spec.standardError, newProcessGroup: spec.newProcessGroup)
        }
        let child = ChildProcess(
            pid: launched.pid, processGroup: spec.newProcessGroup ? launched.pid : nil, command: spec.command)

        var pump: ChildIOPump?
        var noticeWriter: Int32 = -1
        let piped = launched.standardInput >= 0 || launched.standardOutput >= 0 || launched.standardError >= 0
        var failure: Int32 = 0
        var failedCall = "pipe"
        if piped {
            if let notice = LinuxSystemCalls.closeOnExecPipe() {
                noticeWriter = notice.write
                var payload: [UInt8] = []
                if case .bytes(let bytes) = spec.standardInput { payload = bytes }
                pump = ChildIOPump(
                    standardInput: launched.standardInput, payload: payload,
                    standardOutput: launched.standardOutput, outputLimit: Self.limit(spec.standardOutput),
                    outputLines: Self.lineSink(spec.standardOutput),
                    standardError: launched.standardError, errorLimit: Self.limit(spec.standardError),
                    errorLines: Self.lineSink(spec.standardError),
                    exitNotice: notice.read)
            } else {
                failure = errno
            }
        }
        if failure == 0 {
            if child.startMonitoring(pump: pump, exitNoticeWriter: noticeWriter) { return child }
            failure = errno
            failedCall = "pthread_create"
        } else {
            // No pipe for the exit notice: nothing was handed over yet.
            kill(launched.pid, SIGKILL)
            if ChildReaper.shared.isActive {
                ChildReaper.shared.forget(launched.pid)  // reaped as an orphan
            } else {
                var status: Int32 = 0
                while waitpid(launched.pid, &status, 0) < 0, errno == EINTR {}
            }
            for fd in [launched.standardInput, launched.standardOutput, launched.standardError] {
                LinuxSystemCalls.close(fd)
            }
        }
        throw SpawnError(
            command: spec.command.arguments.first ?? "", path: launched.path,
            kind: .systemCall(name: failedCall, errno: failure))
    }

    private static func limit(_ output: ProcessSpec.Output) -> Int {
        if case .capture(let limit) = output { return max(0, limit) }
        return 0
    }

    private static func lineSink(_ output: ProcessSpec.Output) -> OutputLineSink? {
        if case .lines(let sink) = output { return sink }
        return nil
    }
}
