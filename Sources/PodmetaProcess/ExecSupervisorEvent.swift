/// What an `ExecSupervisor` did, for logs, metrics and tests. Delivered synchronously from
/// the supervisor's thread: the callback must be quick and must not block.
public enum ExecSupervisorEvent: Sendable, Hashable {
    /// A child was started (first, or after a restart).
    case started(pid: Int32)
    /// A signal we received was passed on (to `target`: the pid, or minus the group id).
    case forwarded(signal: ProcessSignal, target: Int32)
    /// The reload signal was sent because the snapshot changed.
    case reloadSignalSent(signal: ProcessSignal, target: Int32)
    /// A change asked for a restart: the child got the stop signal.
    case restarting(pid: Int32)
    /// The grace period ran out: SIGKILL was sent (to `target`).
    case killed(target: Int32)
    /// The supervised child exited.
    case childExited(pid: Int32, status: ExitStatus)
    /// Some other descendant (orphaned, re-parented to us) was reaped.
    case reapedDescendant(pid: Int32, status: ExitStatus)
}
