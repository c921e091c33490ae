/// The outcome of one hook run, delivered to the runner's report callback.
public struct HookRunReport: Sendable, Hashable {
    public var hook: String
    /// The revision of the request that ran (the latest of those coalesced).
    public var revision: UInt64?
    /// nil on success.
    public var failure: HookFailureReason?
    /// The child's status; nil when it could not be started.
    public var exitStatus: ExitStatus?
    /// The shell-style code: the exit status, 128+N for signal N, 126/127 when it could not run.
    public var exitCode: Int32
    public var duration: Duration
    /// How many `fire` requests this run answered (1, or more when coalesced).
    public var requests: Int
    /// The hook's pid (and process group id); nil when it could not be started.
    public var pid: Int32?
    /// The spawn error's sentence when `failure == .spawn`.
    public var errorDescription: String?
    /// Attempts made (more than 1 when a webhook retried).
    public var attempts: Int = 1

    public var succeeded: Bool { failure == nil }
}
