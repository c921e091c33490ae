import Glibc
import Logging
import PodmetaSystem
import Synchronization

/// Process-wide: signal handlers and waitpid(-1) cannot be shared by two supervisors.
private let supervisorRunning = Atomic<Bool>(false)

/// `podmeta exec`: run a command with the pod's metadata in its environment.
///
/// - `.replace`: execve the command in place (same pid, no supervision).
/// - `.reload(signal:)` and `.restart`: stay as a tini-like parent. The child gets every
///   catchable signal we receive (except SIGCHLD), we reap every descendant that exits
///   (becoming a child subreaper when we are not PID 1), and each element of `changes`
///   either sends the reload signal or restarts the child with that fresh environment.
///   SIGTERM/SIGINT are forwarded and, if the child is still there after the grace
///   period, its process group gets SIGKILL.
///
/// Only one supervisor may run per process, and while it runs it owns the process's
/// children: it reaps with waitpid(-1), so nothing else in the process should spawn
/// processes (no `HookRunner`). It installs signal handlers for the duration of `run` and
/// restores the previous ones, and the previous subreaper setting, before returning.
public struct ExecSupervisor: Sendable {
    public enum Mode: Sendable, Hashable {
        /// execve in place.
        case replace
        /// Supervise; send `signal` to the child on every change.
        case reload(signal: ProcessSignal)
        /// Supervise; restart the child with the new environment on every change.
        case restart
    }

    /// Whether the child gets a process group of its own.
    public enum ProcessGroupPolicy: Sendable, Hashable {
        /// Its own group unless our stdin is a terminal (a background group could not read it).
        case automatic
        /// Its own group (tini's default): SIGKILL after the grace period reaches everything
        /// it started.
        case separate
        /// Our group: terminal signals (^C) reach it directly, so those are not forwarded twice.
        case shared
    }

    public struct Options: Sendable, Hashable {
        /// After SIGTERM/SIGINT (or a restart's stop signal), how long before SIGKILL.
        public var gracePeriod: Duration
        /// The signal that stops the child for a restart.
        public var stopSignal: ProcessSignal
        public var processGroup: ProcessGroupPolicy
        /// Forward signals (and the reload signal) to the child's whole group (tini -g)
        /// instead of the child alone. Only meaningful with a group of its own.
        public var forwardToProcessGroup: Bool
        /// Become a child subreaper when not PID 1 (tini -s), so orphaned grandchildren are
        /// re-parented to us and reaped.
        public var becomeSubreaper: Bool

        public init(
            gracePeriod: Duration = .seconds(10),
            stopSignal: ProcessSignal = .terminate,
            processGroup: ProcessGroupPolicy = .automatic,
            forwardToProcessGroup: Bool = false,
            becomeSubreaper: Bool = true
        ) {
            self.gracePeriod = gracePeriod
            self.stopSignal = stopSignal
            self.processGroup = processGroup
            self.forwardToProcessGroup = forwardToProcessGroup
            self.becomeSubreaper = becomeSubreaper
        }
    }

    public let command: [String]
    public let environment: [String: String]
    public let mode: Mode
    public let options: Options
    private let logger: Logger
    private let onEvent: @Sendable (ExecSupervisorEvent) -> Void

    /// - Parameters:
    ///   - command: argv; a bare program name is looked up in the environment's PATH.
    ///   - environment: the child's complete (first) environment.
    ///   - onEvent: called on the supervisor's thread for each event; must not block.
    public init(
        command: [String],
        environment: [String: String],
        mode: Mode,
        options: Options = Options(),
        logger: Logger,
        onEvent: @escaping @Sendable (ExecSupervisorEvent) -> Void = { _ in }
    ) {
        self.command = command
        self.environment = environment
        self.mode = mode
        self.options = options
        self.logger = logger
        self.onEvent = onEvent
    }

    /// Runs the command and returns the status `podmeta exec` should exit with: the child's
    /// exit status, 128+N if signal N killed it, 127/126 when it cannot be run (after
    /// printing why to stderr), 1 if supervision itself cannot start.
    ///
    /// In `.replace` mode it does not return on success, and ignores `changes`. Otherwise
    /// each element of `changes` is the child's fresh environment; the stream ending changes
    /// nothing. Cancelling the calling task stops the child like SIGTERM does.
    public func run(changes: AsyncStream<[String: String]>) async -> Int32 {
        switch mode {
        case .replace:
            let error = ProcessReplacement.execute(command: command, environment: environment)
            LinuxSystemCalls.writeToStandardError("podmeta: \(error)\n")
            return error.exitCode
        case .reload, .restart:
            return await supervise(changes)
        }
    }

    private func supervise(_ changes: AsyncStream<[String: String]>) async -> Int32 {
        if case .reload(let signal) = mode, !signal.canBeCaught {
            logger.error("the reload signal \(signal) cannot be caught by any process; use SIGHUP, SIGUSR1 or similar")
            return 1
        }
        guard let relay = SignalRelay.shared else {
            logger.error("cannot supervise: no pipe for signals (\(ErrnoValue(errno)))")
            return 1
        }
        guard
            supervisorRunning.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing)
                .exchanged
        else {
            logger.error("cannot supervise: another ExecSupervisor is running in this process")
            return 1
        }
        defer { supervisorRunning.store(false, ordering: .releasing) }

        relay.drain()
        let previousActions = relay.install(SignalRelay.handledSignals)
        defer { relay.restore(previousActions) }
        var previousSubreaper: Bool?
        if options.becomeSubreaper, getpid() != 1 {
            previousSubreaper = ChildSubreaper.isEnabled
            if !ChildSubreaper.set(true) {
                logger.warning(
                    "cannot become a child subreaper; orphaned grandchildren will not be reaped by us",
                    metadata: ["error": "\(ErrnoValue(errno))"])
            }
        }
        defer { if previousSubreaper == false { ChildSubreaper.set(false) } }

        let newGroup: Bool =
            switch options.processGroup {
            case .automatic: isatty(0) == 0
            case .separate: true
            case .shared: false
            }
        let inbox = SupervisorInbox(relay: relay)
        let result = Completion<Int32>()
        let machine = SupervisorMachine(
            command: command, environment: environment, mode: mode, options: options,
            newProcessGroup: newGroup, relay: relay, inbox: inbox, logger: logger, onEvent: onEvent)
        guard OSThread.start({ _ in result.complete(machine.run()) }) else {
            logger.error("cannot supervise: no thread (\(ErrnoValue(errno)))")
            return 1
        }
        return await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await environment in changes { inbox.send(.change(environment)) }
            }
            let code = await withTaskCancellationHandler {
                await result.wait()
            } onCancel: {
                inbox.send(.stop)
            }
            group.cancelAll()
            return code
        }
    }
}
