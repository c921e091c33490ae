import Glibc
import Logging
import PodmetaSystem

/// The supervisor's event loop, run on a thread of its own by `ExecSupervisor`.
///
/// Everything that touches the child (spawn, kill, waitpid) happens on this one thread, so a
/// child that exits before we have recorded its pid cannot be missed: we only reap after
/// recording. One poll(2) on the relay pipe waits for signals, commands and the grace timer.
struct SupervisorMachine: Sendable {
    let command: [String]
    let environment: [String: String]
    let mode: ExecSupervisor.Mode
    let options: ExecSupervisor.Options
    let newProcessGroup: Bool
    let relay: SignalRelay
    let inbox: SupervisorInbox
    let logger: Logger
    let onEvent: @Sendable (ExecSupervisorEvent) -> Void

    private enum Phase {
        case running
        /// Waiting for the old child to exit; then start with this environment.
        case restarting([String: String])
        /// SIGTERM/SIGINT received: when the child exits, we are done.
        case stopping
    }

    func run() -> Int32 {
        var state = LoopState()
        if let failure = start(environment, &state) { return failure }
        while true {
            let messages = relay.read(timeoutMilliseconds: Self.milliseconds(until: state.killDeadline))
            for message in messages where message.signal != 0 && message.signal != SIGCHLD {
                handle(message, &state)
            }
            for command in inbox.take() {
                handle(command, &state)
            }
            // Reap on every turn, not only on SIGCHLD: SIGCHLDs coalesce, waitpid does not lose.
            if let code = reap(&state) { return code }
            enforceDeadline(&state)
        }
    }

    private struct LoopState {
        var child: pid_t?
        var phase = Phase.running
        var killDeadline: ContinuousClock.Instant?
        var killed = false
    }

    /// Where forwarded and reload signals go.
    private func target(_ child: pid_t) -> pid_t {
        options.forwardToProcessGroup && newProcessGroup ? -child : child
    }

    private func start(_ environment: [String: String], _ state: inout LoopState) -> Int32? {
        do {
            let launched = try PosixSpawn.launch(
                arguments: command, environment: environment, standardInput: .inherit,
                standardOutput: .inherit, standardError: .inherit, newProcessGroup: newProcessGroup)
            state.child = launched.pid
            state.phase = .running
            state.killDeadline = nil
            state.killed = false
            logger.info(
                "child started", metadata: ["pid": "\(launched.pid)", "command": "\(ProcessCommand.argv(command))"])
            onEvent(.started(pid: launched.pid))
            return nil
        } catch {
            LinuxSystemCalls.writeToStandardError("podmeta: \(error)\n")
            return error.exitCode
        }
    }

    private func handle(_ message: SignalRelay.Message, _ state: inout LoopState) {
        let signal = ProcessSignal(rawValue: message.signal)
        if message.signal == SIGPIPE, message.fromSelf {
            // Our own write to a broken pipe (stderr gone), not a request for the child.
            logger.debug("ignoring SIGPIPE raised by our own write")
            return
        }
        if message.fromKernel, !newProcessGroup {
            // A terminal signal (^C, ^\, hang-up) already went to our whole process group,
            // the child included; forwarding it would deliver it twice.
            logger.debug("not forwarding \(signal): the child shares our terminal's process group")
        } else {
            forward(signal, state)
        }
        if signal == .terminate || signal == .interrupt { beginStopping(&state) }
    }

    private func forward(_ signal: ProcessSignal, _ state: LoopState) {
        guard let child = state.child else { return }
        let target = target(child)
        if kill(target, signal.rawValue) == 0 {
            logger.debug("forwarded \(signal)", metadata: ["target": "\(target)"])
            onEvent(.forwarded(signal: signal, target: target))
        } else {
            logger.debug(
                "could not forward \(signal)",
                metadata: ["target": "\(target)", "error": "\(ErrnoValue(errno))"])
        }
    }

    private func beginStopping(_ state: inout LoopState) {
        if case .stopping = state.phase { return }
        state.phase = .stopping
        // A restart in progress already set an earlier deadline for the same child.
        if state.killDeadline == nil, !state.killed {
            state.killDeadline = .now + options.gracePeriod
        }
        logger.info("stopping the child", metadata: ["grace": "\(DurationLogText.render(options.gracePeriod))"])
    }

    private func handle(_ command: SupervisorCommand, _ state: inout LoopState) {
        switch command {
        case .stop:
            forward(.terminate, state)
            beginStopping(&state)
        case .change(let environment):
            if case .stopping = state.phase { return }
            switch mode {
            case .replace:
                return
            case .reload(let signal):
                guard let child = state.child else { return }
                let target = target(child)
                if kill(target, signal.rawValue) == 0 {
                    logger.info("metadata changed, sent \(signal) to the child", metadata: ["target": "\(target)"])
                    onEvent(.reloadSignalSent(signal: signal, target: target))
                }
            case .restart:
                if case .restarting = state.phase {
                    state.phase = .restarting(environment)  // coalesced: the newest wins
                    return
                }
                guard let child = state.child else { return }
                kill(target(child), options.stopSignal.rawValue)
                state.phase = .restarting(environment)
                state.killDeadline = .now + options.gracePeriod
                logger.info(
                    "metadata changed, restarting the child",
                    metadata: ["pid": "\(child)", "signal": "\(options.stopSignal)"])
                onEvent(.restarting(pid: child))
            }
        }
    }

    /// Reaps every exited child. Returns the exit code when the supervised child is done
    /// for good (or a restart could not start the new one).
    private func reap(_ state: inout LoopState) -> Int32? {
        var finished: Int32?
        while true {
            var status: Int32 = 0
            let pid = waitpid(-1, &status, WNOHANG)
            if pid < 0, errno == EINTR { continue }
            guard pid > 0 else { break }  // 0: none exited yet; ECHILD: no children at all
            let exit = ExitStatus(waitStatus: status)
            guard pid == state.child else {
                logger.debug("reaped a descendant", metadata: ["pid": "\(pid)", "status": "\(exit)"])
                onEvent(.reapedDescendant(pid: pid, status: exit))
                continue
            }
            state.child = nil
            logger.info("child exited", metadata: ["pid": "\(pid)", "status": "\(exit)"])
            onEvent(.childExited(pid: pid, status: exit))
            if case .restarting(let environment) = state.phase {
                if let failure = start(environment, &state) { return failure }
            } else {
                finished = exit.code
            }
        }
        return finished
    }

    private func enforceDeadline(_ state: inout LoopState) {
        guard let deadline = state.killDeadline, ContinuousClock.now >= deadline else { return }
        state.killDeadline = nil
        guard let child = state.child, !state.killed else { return }
        let target = newProcessGroup ? -child : child
        kill(target, SIGKILL)
        state.killed = true
        logger.warning(
            "grace period over, killed the child",
            metadata: ["target": "\(target)", "grace": "\(DurationLogText.render(options.gracePeriod))"])
        onEvent(.killed(target: target))
    }

    /// poll's timeout for `deadline`: -1 for none, rounded up so we never wake early.
    private static func milliseconds(until deadline: ContinuousClock.Instant?) -> Int32 {
        guard let deadline else { return -1 }
        let remaining = ContinuousClock.now.duration(to: deadline)
        return remaining.pollTimeoutMilliseconds
    }
}
