import Glibc
import PodmetaSystem
import Synchronization

/// Write end of the reaper's wake-up pipe, for the SIGCHLD handler. Set once, never closed.
private let reaperWakeDescriptor = Atomic<Int32>(-1)

/// SIGCHLD handler: one byte on the wake-up pipe (write(2) is async-signal-safe; the
/// atomic is initialized before the handler is installed, so reading it is a plain load).
private func reaperSignalHandler(_: Int32) {
    let savedErrno = errno
    var byte: UInt8 = 1
    let fd = reaperWakeDescriptor.load(ordering: .relaxed)
    if fd >= 0 { _ = write(fd, &byte, 1) }
    errno = savedErrno
}

/// Reaps every child of the process, ours and the orphans re-parented to us, when we are
/// PID 1 (a container's entrypoint) or a child subreaper: otherwise whatever a hook leaves
/// running in the background becomes a zombie of ours when it exits, forever.
///
/// One thread owns the reaping, so no exit status is stolen from its owner: it peeks at the
/// next zombie with `waitid(P_ALL, WNOWAIT)`, and
/// - a child `ProcessSpawner` started (registered, under the registry lock, in the same
///   critical section as posix_spawn, so no child can exit unregistered) is reaped by its
///   ``ChildProcess`` under that child's own lock, which keeps its signalling safe from pid
///   reuse; a child that exits before its `ChildProcess` is attached has its status kept
///   until it is;
/// - anything else is an orphan: reaped and counted.
///
/// With no child at all the thread sleeps in poll(2) on a pipe that spawns and SIGCHLD
/// (an orphan re-parented from a `kubectl exec` session) write to: an idle agent does not
/// wake up. Inactive (the default) nothing changes: each `ChildProcess` reaps itself, as
/// outside PID 1 the init process reaps orphans. Never active together with
/// ``ExecSupervisor``, which reaps with waitpid(-1) itself (`podmeta exec` does not start it).
package final class ChildReaper: Sendable {
    package static let shared = ChildReaper()

    private enum Child {
        /// Spawned; its `ChildProcess` is not attached yet.
        case pending
        case attached(ChildProcess)
        /// Reaped before its `ChildProcess` was attached: the status word waits for it.
        case exited(Int32)
    }

    private struct State {
        var active = false
        var children: [pid_t: Child] = [:]
        var orphansReaped = 0
    }

    private let state = Mutex(State())
    private let wakeRead = Atomic<Int32>(-1)

    private init() {}

    /// Whether the reaper thread runs.
    package var isActive: Bool { state.withLock { $0.active } }

    /// Orphans reaped so far (children that no `ChildProcess` owned).
    package var orphansReaped: Int { state.withLock { $0.orphansReaped } }

    /// Starts reaping if this process is PID 1 or a child subreaper; idempotent.
    ///
    /// - Returns: whether the reaper is active.
    @discardableResult
    package func startIfNeeded() -> Bool {
        guard getpid() == 1 || ChildSubreaper.isEnabled == true else { return false }
        return start()
    }

    private func start() -> Bool {
        if isActive { return true }
        guard let pipe = LinuxSystemCalls.closeOnExecPipe() else { return false }
        LinuxSystemCalls.setNonBlocking(pipe.read)
        LinuxSystemCalls.setNonBlocking(pipe.write)
        wakeRead.store(pipe.read, ordering: .releasing)
        reaperWakeDescriptor.store(pipe.write, ordering: .sequentiallyConsistent)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = reaperSignalHandler
        action.sa_flags = SA_RESTART | SA_NOCLDSTOP
        sigemptyset(&action.sa_mask)
        sigaction(SIGCHLD, &action, nil)
        // Active before the thread runs: a spawn from now on registers its child.
        state.withLock { $0.active = true }
        guard OSThread.start({ [self] _ in reapForever() }) else {
            state.withLock { $0.active = false }
            return false
        }
        return true
    }

    /// Runs `launch` (which calls posix_spawn) and registers the child it returns, in one
    /// critical section, so the reaper cannot meet the child before it is known.
    func spawn(_ launch: () throws(SpawnError) -> PosixSpawn.Launched) throws(SpawnError) -> PosixSpawn.Launched {
        let launched = try state.withLock { (state: inout State) throws(SpawnError) -> PosixSpawn.Launched in
            let launched = try launch()
            if state.active { state.children[launched.pid] = .pending }
            return launched
        }
        wake()
        return launched
    }

    /// Hands the reaping of `child` to the reaper. Returns false when the reaper is not
    /// active (the child reaps itself).
    func attach(_ child: ChildProcess) -> Bool {
        let delivery = state.withLock { state -> (attached: Bool, status: Int32?) in
            guard state.active, let entry = state.children[child.pid] else { return (false, nil) }
            switch entry {
            case .exited(let status):
                state.children[child.pid] = nil
                return (true, status)
            case .pending, .attached:
                state.children[child.pid] = .attached(child)
                return (true, nil)
            }
        }
        if let status = delivery.status { child.reapedEarlier(statusWord: status) }
        return delivery.attached
    }

    /// Forgets a registered child whose `ChildProcess` will never be attached (its set-up
    /// failed after the spawn): the reaper reaps it as an orphan.
    func forget(_ pid: pid_t) {
        _ = state.withLock { $0.children.removeValue(forKey: pid) }
    }

    private func wake() {
        var byte: UInt8 = 1
        let fd = reaperWakeDescriptor.load(ordering: .relaxed)
        if fd >= 0 { _ = write(fd, &byte, 1) }
    }

    /// The reaper thread.
    private func reapForever() {
        while true {
            var info = siginfo_t()
            if waitid(P_ALL, 0, &info, WEXITED | WNOWAIT) != 0 {
                switch errno {
                case EINTR: continue
                case ECHILD: sleepUntilWoken()
                default: usleep(100_000)  // not expected; never spin
                }
                continue
            }
            let pid = info._sifields._sigchld.si_pid
            let owner = state.withLock { state -> ChildProcess? in
                switch state.children[pid] {
                case .attached(let child)?:
                    state.children[pid] = nil
                    return child
                case .pending?:
                    state.children[pid] = .exited(ChildReaper.reap(pid))
                case .exited?, nil:
                    // `.exited` cannot be a zombie again (the pid is only reused by a new
                    // spawn, which replaces the entry): treat it as the orphan it must be.
                    if case .exited = state.children[pid] { state.children[pid] = nil }
                    _ = ChildReaper.reap(pid)
                    state.orphansReaped += 1
                }
                return nil
            }
            owner?.reapByReaper()
        }
    }

    /// waitpid on a zombie: returns at once.
    private static func reap(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        return status
    }

    private func sleepUntilWoken() {
        var descriptor = pollfd(fd: wakeRead.load(ordering: .acquiring), events: Int16(POLLIN), revents: 0)
        _ = poll(&descriptor, 1, -1)
        var buffer = [UInt8](repeating: 0, count: 256)
        while buffer.withUnsafeMutableBytes({ read(descriptor.fd, $0.baseAddress, $0.count) }) > 0 {}
    }
}
