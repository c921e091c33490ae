import Logging
import Synchronization

/// Runs one hook off the caller's path, never concurrently with itself.
///
/// `fire` only records the request and returns. A task owned by the runner does the work:
/// it applies the quiescence wait if any, starts the hook with the payload on stdin and the
/// request's variables in its environment, and waits for it (on a helper thread, not the
/// cooperative pool) up to its timeout, killing its process group past it. Requests that
/// arrive while the hook waits or runs are coalesced: they produce exactly one more run,
/// with the latest request. Failures are logged and reported, never thrown.
///
/// Call `shutdown(deadline:)` once when the agent stops; until then the runner's task lives.
public final class HookRunner: Sendable {
    public let hook: HookDefinition

    private let baseEnvironment: [String: String]
    private let spawner: ProcessSpawner
    private let logger: Logger
    private let report: @Sendable (HookRunReport) -> Void
    private let wakeups: AsyncStream<Void>.Continuation
    private let finished = Completion<Void>()
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
        var shuttingDown = false
        /// Set by shutdown past its deadline: a hook starting now is killed at once.
        var abortRunning = false
        var worker: Task<Void, Never>?
    }

    /// - Parameters:
    ///   - environment: the hook's base environment (usually the agent's own); each
    ///     request's variables are added to it.
    ///   - report: called once per run (success or failure) from the runner's task, for
    ///     metrics; it must not block.
    public init(
        hook: HookDefinition,
        environment: [String: String],
        spawner: ProcessSpawner = ProcessSpawner(),
        logger: Logger,
        report: @escaping @Sendable (HookRunReport) -> Void = { _ in }
    ) {
        self.hook = hook
        self.baseEnvironment = environment
        self.spawner = spawner
        var logger = logger
        logger[metadataKey: "hook"] = "\(hook.name)"
        self.logger = logger
        self.report = report
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.wakeups = continuation
        let worker = Task { [self] in
            await self.work(stream)
            self.finished.complete(())
        }
        state.withLock { $0.worker = worker }
    }

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
        let (worker, dropped) = state.withLock { state -> (Task<Void, Never>?, Pending?) in
            let dropped = state.shuttingDown ? nil : state.pending
            state.shuttingDown = true
            state.pending = nil
            state.pendingCount = 0
            return (state.worker, dropped)
        }
        if let dropped {
            logger.info("hook run dropped at shutdown", metadata: Self.revisionMetadata(dropped.revision))
        }
        wakeups.finish()
        // Interrupts a quiescence wait; a running hook is shielded from this (see `work`).
        worker?.cancel()
        if await finished.wait(until: .now + deadline) == nil {
            let child = state.withLock { state in
                state.abortRunning = true
                return state.running
            }
            if let child {
                logger.warning("hook still running at shutdown, terminating it", metadata: ["pid": "\(child.pid)"])
                await child.terminate(grace: hook.killGrace)
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
                // An unstructured task does not inherit cancellation: cancelling the worker
                // (shutdown) must not be mistaken for the hook's timeout.
                await Task { await self.execute(request, requests: count) }.value
            }
        }
    }

    /// The request to run now, after the quiescence wait; nil when nothing is pending or
    /// the runner is shutting down.
    private func nextRequest() async -> (Pending, Int)? {
        if let quiescence = hook.quiescence {
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
                do { try await Task.sleep(until: deadline, clock: .continuous) } catch { break }
            }
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
        let start = ContinuousClock.now
        var environment = baseEnvironment
        environment.merge(request.environment) { $1 }
        let spec = ProcessSpec(
            command: hook.command, environment: environment, standardInput: .bytes(request.payload),
            standardOutput: hook.standardOutput, standardError: hook.standardError, newProcessGroup: true)
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

    private static func revisionMetadata(_ revision: UInt64?) -> Logger.Metadata {
        guard let revision else { return [:] }
        return ["revision": "\(revision)"]
    }
}
