/// A hook kind that is not a child process of its own: a webhook, a signal to a process of
/// the pod. The ``HookRunner`` keeps the scheduling (quiescence, coalescing, never two runs
/// at once, shutdown deadline); a performer does one run.
public protocol HookPerformer: Sendable {
    /// Performs one run. Called on the runner's task, one run at a time.
    ///
    /// The task is cancelled when the agent stops and the shutdown deadline has passed:
    /// return promptly then, with a failure. `context.superseded()` says whether a newer
    /// request is waiting, so a performer that retries can stop retrying a stale payload and
    /// let the newer run (which reports the failed changes again) go first.
    func perform(_ request: HookRequest, context: HookRunContext) async -> HookPerformance
}

/// What a performer may ask of its runner during a run.
public struct HookRunContext: Sendable {
    /// The hook's timeout (`--hook-timeout` or the hook's own `timeout`).
    public var timeout: Duration
    /// True once a newer request is pending for this hook.
    public var superseded: @Sendable () -> Bool

    public init(timeout: Duration, superseded: @escaping @Sendable () -> Bool = { false }) {
        self.timeout = timeout
        self.superseded = superseded
    }
}

/// The outcome of one performer run.
public struct HookPerformance: Sendable, Hashable {
    /// nil on success.
    public var failure: HookFailureReason?
    /// One sentence for the log: what was done or what went wrong, and the remedy.
    public var summary: String
    /// How many attempts the run took (retries + 1).
    public var attempts: Int
    /// Extra fields for the run's log record (`status`, `pids`, ...).
    public var details: [String: String]

    public init(failure: HookFailureReason?, summary: String, attempts: Int = 1, details: [String: String] = [:]) {
        self.failure = failure
        self.summary = summary
        self.attempts = attempts
        self.details = details
    }
}
