/// Why a hook run failed, as a metrics label value.
public enum HookFailureReason: String, Sendable, Hashable, CaseIterable {
    /// It exited with a non-zero status.
    case exitStatus = "exit"
    /// A signal killed it (not our timeout).
    case signal
    /// It ran past its timeout and was killed.
    case timeout
    /// It could not be started (not found, not executable, no resources).
    case spawn
    /// `HookRunner.shutdown` killed it after its deadline.
    case shutdown
    /// A webhook got no answer, or an answer with a status it did not expect.
    case request
    /// A signal hook found no process to signal.
    case noProcess = "no-process"
    /// A signal hook found several processes and was told to refuse.
    case ambiguous
    /// A signal hook was not allowed to signal the process (another uid).
    case permission
}
