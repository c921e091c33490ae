import Glibc
import PodmetaSystem
import Synchronization

/// A running (or finished) child started by `ProcessSpawner`.
///
/// A helper thread per child blocks in waitid(2) and reaps it, so the child never stays a
/// zombie even if nobody calls `wait()`, and awaiting never occupies a thread of the
/// cooperative pool; when ``ChildReaper`` is active (PID 1, subreaper) its thread does that
/// instead. A second helper thread exists only while stdin is fed or output captured.
public final class ChildProcess: Sendable {
    /// The child's process id.
    public let pid: Int32
    /// Its process group id (equal to `pid`) when it was started in a group of its own.
    public let processGroup: Int32?
    /// The command, for log lines.
    public let command: ProcessCommand

    private let exit = Completion<ExitStatus>()
    private let captured = Completion<CapturedOutput>()
    /// True once reaped. Signals are sent while holding this lock and only before reaping,
    /// so they can never reach an unrelated process that reused the pid.
    private let reaped = Mutex(false)
    /// The exit-notice pipe's write end while the child runs, closed when it is reaped.
    private let exitNoticeWriter = Atomic<Int32>(-1)

    init(pid: pid_t, processGroup: pid_t?, command: ProcessCommand) {
        self.pid = pid
        self.processGroup = processGroup
        self.command = command
    }

    /// How it ended, or nil while it runs.
    public var exitStatus: ExitStatus? { exit.value }

    /// Waits for it to exit. Not cancellable: cancelling the waiting task does not stop the child.
    public func wait() async -> ExitStatus {
        await exit.wait()
    }

    /// Waits at most `timeout`; past it, terminates the process group with `terminate(grace:)`.
    /// A cancelled task counts as an expired timeout.
    /// - Returns: the status, and whether the timeout expired.
    public func wait(timeout: Duration, killGrace: Duration = .seconds(5)) async -> (status: ExitStatus, timedOut: Bool)
    {
        if let status = await exit.wait(until: .now + timeout) { return (status, false) }
        return (await terminate(grace: killGrace), true)
    }

    /// Captured stdout and stderr, available once the child has exited (empty for streams
    /// that were not captured).
    public func output() async -> CapturedOutput {
        await captured.wait()
    }

    /// ``output()``, or nil when it is not complete by `deadline`: once the child has exited
    /// its output pump drains what is left in the pipes, which a grandchild that keeps
    /// writing to them can prolong.
    public func output(until deadline: ContinuousClock.Instant) async -> CapturedOutput? {
        await captured.wait(until: deadline)
    }

    /// Sends `signal` to the child alone. False when it has already been reaped or kill failed.
    @discardableResult
    public func signal(_ signal: ProcessSignal) -> Bool {
        reaped.withLock { reaped in !reaped && kill(pid, signal.rawValue) == 0 }
    }

    /// Sends `signal` to the child's whole process group (to the child alone when it has no
    /// group of its own). The group is reachable after the child itself has exited as long as
    /// any member lives; that is the point (a timed-out hook's grandchildren).
    @discardableResult
    public func signalGroup(_ signal: ProcessSignal) -> Bool {
        guard let processGroup else { return self.signal(signal) }
        return kill(-processGroup, signal.rawValue) == 0
    }

    /// True while any process remains in the child's group (zombies included).
    public var processGroupIsAlive: Bool {
        guard let processGroup else { return exitStatus == nil }
        return kill(-processGroup, 0) == 0
    }

    /// SIGTERM to the process group, then SIGKILL to whatever of it is left after `grace`.
    ///
    /// Members of the group that outlive the child get the rest of the grace period too,
    /// then SIGKILL, so nothing the child started survives. Returns the child's status.
    /// A cancelled task skips the grace period.
    @discardableResult
    public func terminate(grace: Duration = .seconds(5)) async -> ExitStatus {
        let deadline = ContinuousClock.now + grace
        signalGroup(.terminate)
        let status: ExitStatus
        if let exited = await exit.wait(until: deadline) {
            status = exited
        } else {
            signalGroup(.kill)
            status = await exit.wait()
        }
        if let processGroup {
            // The leader is gone; poll the group briefly (kill -0 has no blocking form).
            while processGroupIsAlive, ContinuousClock.now < deadline, !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(20))
            }
            if processGroupIsAlive { kill(-processGroup, SIGKILL) }
        }
        return status
    }

    /// Starts the helper threads, which take ownership of the pump's descriptors and of
    /// `exitNoticeWriter`. On failure (errno set) the child has been killed and reaped and
    /// every descriptor closed.
    func startMonitoring(pump: ChildIOPump?, exitNoticeWriter: Int32) -> Bool {
        self.exitNoticeWriter.store(exitNoticeWriter, ordering: .releasing)
        let waiterStarted =
            ChildReaper.shared.attach(self)
            || OSThread.start(shieldingSIGPIPE: true) { [self] shield in
                let status = waitAndReap()
                shield.lower()
                finish(status)
            }
        guard waiterStarted else {
            let code = errno
            self.exitNoticeWriter.store(-1, ordering: .relaxed)
            kill(pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
            reaped.withLock { $0 = true }
            for fd in [
                pump?.standardInput, pump?.standardOutput, pump?.standardError, pump?.exitNotice, exitNoticeWriter,
            ] {
                LinuxSystemCalls.close(fd ?? -1)
            }
            errno = code
            return false
        }
        guard let pump else {
            captured.complete(CapturedOutput())
            return true
        }
        let pumpStarted = OSThread.start(shieldingSIGPIPE: true) { [captured] shield in
            let output = pump.run()
            shield.lower()
            captured.complete(output)
        }
        if pumpStarted { return true }
        let code = errno
        for fd in [pump.standardInput, pump.standardOutput, pump.standardError, pump.exitNotice] {
            LinuxSystemCalls.close(fd)
        }
        captured.complete(CapturedOutput())
        signal(.kill)  // the waiter thread reaps it
        errno = code
        return false
    }

    /// The child has been reaped: tell the output pump, then every waiter. The pump may
    /// have closed its end already: the write is shielded from SIGPIPE (EPIPE instead).
    private func finish(_ status: ExitStatus) {
        let writer = exitNoticeWriter.exchange(-1, ordering: .acquiringAndReleasing)
        if writer >= 0 {
            let shield = SIGPIPEShield.raise()
            var byte: UInt8 = 1
            _ = write(writer, &byte, 1)
            LinuxSystemCalls.close(writer)
            shield.lower()
        }
        exit.complete(status)
    }

    /// On the reaper's thread: the child is a zombie; reap it under the `reaped` lock.
    func reapByReaper() {
        let status = reaped.withLock { reaped -> ExitStatus in
            var status: Int32 = 0
            var result: pid_t
            repeat { result = waitpid(pid, &status, 0) } while result < 0 && errno == EINTR
            reaped = true
            return result == pid ? ExitStatus(waitStatus: status) : .exited(255)
        }
        finish(status)
    }

    /// The reaper reaped the child before this object was attached (it exited at once).
    func reapedEarlier(statusWord: Int32) {
        reaped.withLock { $0 = true }
        finish(ExitStatus(waitStatus: statusWord))
    }

    /// Blocks until the child exits, then reaps it under the `reaped` lock.
    private func waitAndReap() -> ExitStatus {
        var info = siginfo_t()
        // WNOWAIT leaves the zombie in place: the pid stays ours until we reap below.
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 {
            if errno == EINTR { continue }
            // ECHILD: someone else reaped it (a waitpid(-1) elsewhere in this process).
            reaped.withLock { $0 = true }
            return .exited(255)
        }
        let fromInfo: ExitStatus =
            info.si_code == CLD_EXITED
            ? .exited(info._sifields._sigchld.si_status)
            : .signaled(ProcessSignal(rawValue: info._sifields._sigchld.si_status))
        return reaped.withLock { reaped in
            var status: Int32 = 0
            var result: pid_t
            repeat { result = waitpid(pid, &status, 0) } while result < 0 && errno == EINTR
            reaped = true
            return result == pid ? ExitStatus(waitStatus: status) : fromInfo
        }
    }
}
