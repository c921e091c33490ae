import Logging
import Synchronization

/// Runs one hook off the caller's path, never concurrently with itself.
///
/// `fire` only records the request and returns. ``run()``, held by the owner's task group,
/// does the work: it applies the quiescence wait if any, then runs the hook's action (a
/// child process with the payload on stdin and the request's variables in its environment,
/// waited for on a helper thread and killed with its process group past its timeout; or a
/// ``HookPerformer`` such as a webhook). Requests that arrive while the hook waits or runs
/// are coalesced: they produce exactly one more run, with the latest request. Failures are
/// logged and reported, never thrown.
///
/// No task is started in `init`. Call `shutdown(deadline:)` once when the hook retires or
/// the agent stops; `run()` returns after it.
public final class HookRunner: Sendable {
    public let hook: HookDefinition

    private let baseEnvironment: [String: String]
    private let spawner: ProcessSpawner
    private let logger: Logger
    private let report: @Sendable (HookRunReport) -> Void
    /// A fraction in `0...1` of the hook's splay, drawn before each run (injected by tests).
    private let splayFraction: @Sendable () -> Double
    private let wakeupStream: AsyncStream<Void>
    private let wakeups: AsyncStream<Void>.Continuation
    private let finished = Completion<Void>()
    /// Completed by `shutdown`: interrupts a quiescence wait.
    private let stopping = Completion<Void>()
    private let state = Mutex(State())

    /// A request, or a function that builds it when the run starts: a coalesced run must
    /// describe what changed since the last run that started, which only the caller knows
    /// and only at that moment.
    private enum Pending: Sendable {
        case request(HookRequest)
        case builder(revision: UInt64?, @Sendable () -> HookRequest?)

        var revision: UInt64? {
            switch self {
            case .request(let request): request.revision
            case .builder(let revision, _): revision
            }
        }

        func resolve() -> HookRequest? {
            switch self {
            case .request(let request): request
            case .builder(_, let build): build()
            }
        }
    }

    private struct State {
        /// The latest request not yet started, and how many requests it stands for.
        var pending: Pending?
        var pendingCount = 0
        var firstTrigger: ContinuousClock.Instant?
        var lastTrigger: ContinuousClock.Instant?
        var running: ChildProcess?
        /// The run in progress, cancelled past the shutdown deadline when it is a performer.
        var execution: Task<Void, Never>?
        var shuttingDown = false
        /// Set by shutdown past its deadline: a hook starting now is killed at once.
        var abortRunning = false
        /// `run()` has started; a runner shut down before that never runs.
        var started = false
    }

    /// - Parameters:
    ///   - environment: the hook's base environment (usually the agent's own); each
    ///     request's variables are added to it.
    ///   - report: called once per run (success or failure) from the runner's task, for
    ///     metrics; it must not block.
    ///   - splayFraction: the fraction of the hook's `splay` to wait before a run, in 0...1
    ///     (uniformly random unless a test fixes it).
    public init(
        hook: HookDefinition,
        environment: [String: String],
        spawner: ProcessSpawner = ProcessSpawner(),
        logger: Logger,
        report: @escaping @Sendable (HookRunReport) -> Void = { _ in },
        splayFraction: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
    ) {
        self.hook = hook
        self.splayFraction = splayFraction
        self.baseEnvironment = environment
        self.spawner = spawner
        var logger = logger
        logger[metadataKey: "hook"] = "\(hook.name)"
        self.logger = logger
        self.report = report
        (wakeupStream, wakeups) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Runs the hook's requests until `shutdown`. Call it once, from the task group of the
    /// runner's owner; a second call returns at once.
    public func run() async {
        let first = state.withLock { state in
            defer { state.started = true }
            return !state.started && !state.shuttingDown
        }
        guard first else { return }
        await work(wakeupStream)
        finished.complete(())
    }

    /// True when a request is waiting for the next run.
    public var hasPendingRequest: Bool { state.withLock { $0.pending != nil } }

    /// Asks for a run with `request`. Returns at once; ignored after `shutdown`.
    public func fire(_ request: HookRequest) {
        enqueue(.request(request))
    }

    /// Asks for a run whose request is built when the run starts (after any quiescence
    /// wait), by calling `build` on the runner's task; a nil request skips the run. Returns
    /// at once; ignored after `shutdown`.
    public func fire(revision: UInt64?, build: @escaping @Sendable () -> HookRequest?) {
        enqueue(.builder(revision: revision, build))
    }

    private func enqueue(_ request: Pending) {
        let accepted = state.withLock { state in
            guard !state.shuttingDown else { return false }
            let now = ContinuousClock.now
            state.pending = request
            state.pendingCount += 1
            if state.firstTrigger == nil { state.firstTrigger = now }
            state.lastTrigger = now
            return true
        }
        if accepted {
            wakeups.yield()
        } else {
            logger.debug("hook request ignored after shutdown", metadata: Self.revisionMetadata(request.revision))
        }
    }

    /// Stops the runner: drops a request not yet started, lets a running hook finish until
    /// `deadline`, then terminates its process group (SIGTERM, SIGKILL after the hook's
    /// `killGrace`), and returns when the runner's task has ended. Idempotent.
    public func shutdown(deadline: Duration = .seconds(10)) async {
        let (dropped, neverStarted) = state.withLock { state -> (Pending?, Bool) in
            let dropped = state.shuttingDown ? nil : state.pending
            state.shuttingDown = true
            state.pending = nil
            state.pendingCount = 0
            return (dropped, !state.started)
        }
        if let dropped {
            logger.info("hook run dropped at shutdown", metadata: Self.revisionMetadata(dropped.revision))
        }
        wakeups.finish()
        stopping.complete(())
        if neverStarted { finished.complete(()) }
        if await finished.wait(until: .now + deadline) == nil {
            let (child, execution) = state.withLock { state in
                state.abortRunning = true
                return (state.running, state.execution)
            }
            if let child {
                logger.warning("hook still running at shutdown, terminating it", metadata: ["pid": "\(child.pid)"])
                await child.terminate(grace: hook.killGrace)
            } else if let execution {
                logger.warning("hook still running at shutdown, abandoning it")
                execution.cancel()
            }
            await finished.wait()
        }
    }

    private func work(_ wakeups: AsyncStream<Void>) async {
        for await _ in wakeups {
            while let (pending, count) = await nextRequest() {
                guard let request = pending.resolve() else {
                    logger.debug(
                        "hook run skipped: nothing to report", metadata: Self.revisionMetadata(pending.revision))
                    continue
                }
                // Awaited at once, so still structured in effect; a separate task so that
                // cancelling the owner's group is not mistaken for the hook's timeout, and
                // so that shutdown can cancel a performer past its deadline.
                let execution = Task { await self.execute(request, requests: count) }
                let abort = state.withLock { state in
                    state.execution = execution
                    return state.abortRunning
                }
                if abort { execution.cancel() }
                await execution.value
                state.withLock { $0.execution = nil }
            }
        }
    }

    /// The request to run now, after the quiescence wait and the splay delay; nil when nothing is pending or
    /// the runner is shutting down.
    private func nextRequest() async -> (Pending, Int)? {
        if let quiescence = hook.quiescence {
            var logged = false
            while true {
                let deadline = state.withLock { state -> ContinuousClock.Instant? in
                    guard !state.shuttingDown, state.pending != nil,
                        let first = state.firstTrigger, let last = state.lastTrigger
                    else { return nil }
                    return quiescence.deadline(firstTrigger: first, lastTrigger: last)
                }
                // Triggers only move the deadline later (never past first + maximum), so
                // sleeping to the current one and looking again is enough.
                guard let deadline, ContinuousClock.now < deadline else { break }
                if !logged {
                    logged = true
                    logger.debug(
                        "hook run waits for quiescence",
                        metadata: [
                            "wait":
                                "\(DurationLogText.render(quiescence.minimum)):\(DurationLogText.render(quiescence.maximum))"
                        ])
                }
                if await stopping.wait(until: deadline) != nil || Task.isCancelled { break }
            }
        }
        if hook.splay > .zero, state.withLock({ $0.pending != nil && !$0.shuttingDown }) {
            // Drawn per run; the request is taken only after the delay, so changes arriving
            // meanwhile join this run and the latest one is what it reports.
            let delay = hook.splay * min(max(splayFraction(), 0), 1)
            logger.debug("hook run delayed by splay", metadata: ["delay": "\(DurationLogText.render(delay))"])
            _ = await stopping.wait(until: .now + delay)
        }
        return state.withLock { state in
            guard !state.shuttingDown, let request = state.pending else { return nil }
            let count = state.pendingCount
            state.pending = nil
            state.pendingCount = 0
            state.firstTrigger = nil
            state.lastTrigger = nil
            return (request, count)
        }
    }

    private func execute(_ request: HookRequest, requests: Int) async {
        switch hook.action {
        case .command(let command): await execute(command, request, requests: requests)
        case .perform(let performer): await execute(performer, request, requests: requests)
        }
    }

    private func execute(_ performer: any HookPerformer, _ request: HookRequest, requests: Int) async {
        let start = ContinuousClock.now
        let context = HookRunContext(timeout: hook.timeout) { [self] in hasPendingRequest }
        var performance = await performer.perform(request, context: context)
        if performance.failure != nil, state.withLock({ $0.abortRunning }) {
            performance.failure = .shutdown
        }
        let duration = start.duration(to: .now)
        var metadata = Self.revisionMetadata(request.revision)
        if requests > 1 { metadata["coalesced"] = "\(requests)" }
        if performance.attempts > 1 { metadata["attempts"] = "\(performance.attempts)" }
        metadata["duration"] = "\(DurationLogText.render(duration))"
        for (key, value) in performance.details { metadata[key] = "\(value)" }
        if let failure = performance.failure {
            metadata["reason"] = "\(failure.rawValue)"
            logger.error("hook failed: \(performance.summary)", metadata: metadata)
        } else {
            logger.info("hook succeeded: \(performance.summary)", metadata: metadata)
        }
        report(
            HookRunReport(
                hook: hook.name, revision: request.revision, failure: performance.failure, exitStatus: nil,
                exitCode: performance.failure == nil ? 0 : 1, duration: duration, requests: requests, pid: nil,
                errorDescription: performance.failure == nil ? nil : performance.summary,
                attempts: performance.attempts))
    }

    private func execute(_ command: ProcessCommand, _ request: HookRequest, requests: Int) async {
        let start = ContinuousClock.now
        var environment = baseEnvironment
        environment.merge(request.environment) { $1 }
        let spec = ProcessSpec(
            command: command, environment: environment, standardInput: .bytes(request.payload),
            standardOutput: logged(hook.standardOutput, stream: "stdout", revision: request.revision),
            standardError: logged(hook.standardError, stream: "stderr", revision: request.revision),
            newProcessGroup: true)
        var metadata = Self.revisionMetadata(request.revision)
        if requests > 1 { metadata["coalesced"] = "\(requests)" }

        let child: ChildProcess
        do {
            child = try spawner.spawn(spec)
        } catch {
            let duration = start.duration(to: .now)
            metadata["exit_code"] = "\(error.exitCode)"
            metadata["duration"] = "\(DurationLogText.render(duration))"
            metadata["reason"] = "\(HookFailureReason.spawn.rawValue)"
            logger.error("hook failed: \(error)", metadata: metadata)
            report(
                HookRunReport(
                    hook: hook.name, revision: request.revision, failure: .spawn, exitStatus: nil,
                    exitCode: error.exitCode, duration: duration, requests: requests, pid: nil,
                    errorDescription: error.description))
            return
        }
        let abortNow = state.withLock { state in
            state.running = child
            return state.abortRunning
        }
        metadata["pid"] = "\(child.pid)"
        logger.debug("hook started", metadata: metadata)
        let (status, timedOut) =
            abortNow
            ? (await child.terminate(grace: hook.killGrace), false)
            : await child.wait(timeout: hook.timeout, killGrace: hook.killGrace)
        // The pump may still be logging the last lines the hook wrote before it exited: they
        // belong before the run's result, and an agent stopping right after this run must not
        // lose them. Bounded, as a grandchild that keeps writing would prolong the drain.
        _ = await child.output(until: .now + Self.outputDrainLimit)
        let aborted = state.withLock { state in
            state.running = nil
            return state.abortRunning
        }
        let duration = start.duration(to: .now)

        let failure: HookFailureReason?
        if timedOut {
            failure = .timeout
        } else if status.isSuccess {
            failure = nil
        } else if aborted {
            failure = .shutdown
        } else if case .signaled = status {
            failure = .signal
        } else {
            failure = .exitStatus
        }
        metadata["status"] = "\(status)"
        metadata["exit_code"] = "\(status.code)"
        metadata["duration"] = "\(DurationLogText.render(duration))"
        if let failure {
            metadata["reason"] = "\(failure.rawValue)"
            if case .capture = hook.standardError {
                let stderr = await child.output().standardError.suffix(1024)
                if !stderr.isEmpty { metadata["stderr"] = "\(String(decoding: stderr, as: UTF8.self))" }
            }
            let message: Logger.Message =
                switch failure {
                case .timeout: "hook timed out after \(DurationLogText.render(hook.timeout)) and was killed"
                case .shutdown: "hook killed at shutdown"
                default: "hook failed with \(status)"
                }
            logger.error(message, metadata: metadata)
        } else {
            logger.info("hook succeeded", metadata: metadata)
        }
        report(
            HookRunReport(
                hook: hook.name, revision: request.revision, failure: failure, exitStatus: status,
                exitCode: status.code, duration: duration, requests: requests, pid: child.pid,
                errorDescription: nil))
    }

    /// `.inherit` would interleave the hook's raw bytes with the agent's own log lines (and
    /// break `--log-format json`): each line it writes becomes a log record of its own
    /// instead, with `stream` and `line` fields, cut at 4 KiB (`truncated=true`).
    private func logged(_ output: ProcessSpec.Output, stream: String, revision: UInt64?) -> ProcessSpec.Output {
        guard case .inherit = output else { return output }
        var logger = self.logger
        if let revision { logger[metadataKey: "revision"] = "\(revision)" }
        logger[metadataKey: "stream"] = "\(stream)"
        return .lines(
            OutputLineSink(maximumLineLength: Self.maximumLoggedLine) { [logger] line, truncated in
                var metadata: Logger.Metadata = ["line": "\(String(decoding: line, as: UTF8.self))"]
                if truncated { metadata["truncated"] = "true" }
                logger.info("hook output", metadata: metadata)
            })
    }

    /// The longest hook output line logged as is; the rest of a longer line is dropped.
    static let maximumLoggedLine = 4096

    /// How long a finished run waits for its output to be drained and logged (a shutdown
    /// waits for the run, so this is inside its deadline).
    static let outputDrainLimit: Duration = .seconds(1)

    private static func revisionMetadata(_ revision: UInt64?) -> Logger.Metadata {
        guard let revision else { return [:] }
        return ["revision": "\(revision)"]
    }
}
