import Glibc
import PodmetaSystem

/// A hook that signals a process of the pod, found by its command line in `/proc`: with
/// `shareProcessNamespace: true` every container's processes are visible there, so the
/// sidecar can send SIGHUP to the app's server.
public struct SignalHook: HookPerformer {
    /// What to do when several processes match.
    public enum Multiple: String, Sendable, Hashable, CaseIterable {
        /// Signal each of them.
        case all
        /// Signal none and fail: the pattern is ambiguous.
        case refuse
    }

    public var matcher: ProcessMatcher
    public var signal: ProcessSignal
    public var multiple: Multiple
    /// Normally `/proc`; tests point it elsewhere.
    public var procRoot: String

    public init(
        matcher: ProcessMatcher, signal: ProcessSignal, multiple: Multiple = .refuse, procRoot: String = "/proc"
    ) {
        self.matcher = matcher
        self.signal = signal
        self.multiple = multiple
        self.procRoot = procRoot
    }

    public func perform(_ request: HookRequest, context: HookRunContext) async -> HookPerformance {
        let ourPID = getpid()
        let table = ProcessTableEntry.scan(root: procRoot)
        let targets = table.filter { $0.pid != ourPID && matcher.matches($0) }
        return deliver(to: targets, scanned: table.count, sender: (real: getuid(), effective: geteuid())) {
            kill($0, signal.rawValue) == 0 ? 0 : errno
        }
    }

    /// Signals `targets` with `send` (returns 0 or an errno); separated from `/proc` and
    /// `kill` so that every outcome can be tested.
    func deliver(
        to targets: [ProcessTableEntry], scanned: Int, sender: (real: UInt32, effective: UInt32),
        send: (Int32) -> Int32
    ) -> HookPerformance {
        let pids = targets.map { "\($0.pid)" }.joined(separator: ",")
        guard !targets.isEmpty else {
            return HookPerformance(
                failure: .noProcess,
                summary:
                    "no process matches \"\(matcher)\" among the \(scanned) podmeta can see; is "
                    + "shareProcessNamespace: true set on the pod, and is the process running?")
        }
        if targets.count > 1, multiple == .refuse {
            let list = targets.prefix(5).map { "\($0.pid) (\($0.commandLine))" }.joined(separator: ", ")
            return HookPerformance(
                failure: .ambiguous,
                summary:
                    "\(targets.count) processes match \"\(matcher)\": \(list); signalled none. Make the "
                    + "pattern specific (a /regex/ on the command line) or set multiple: all",
                details: ["pids": pids])
        }
        var failures: [String] = []
        var reason: HookFailureReason?
        for target in targets {
            let error = send(target.pid)
            switch error {
            case 0, ESRCH:
                // ESRCH: it exited since the scan; nothing left to reload.
                continue
            case EPERM:
                reason = .permission
                let owner = target.uid.map { "uid \($0)" } ?? "another user"
                let us = sender.real == sender.effective ? "uid \(sender.real)" : "uid \(sender.effective)"
                failures.append(
                    "not allowed to signal pid \(target.pid) (\(target.commandLine)): it runs as \(owner), "
                        + "podmeta as \(us); run both containers as the same user (securityContext.runAsUser)")
            default:
                reason = reason ?? .noProcess
                failures.append("kill(\(target.pid), \(signal)) failed: \(ErrnoValue(error))")
            }
        }
        if let reason {
            return HookPerformance(failure: reason, summary: failures.joined(separator: "; "), details: ["pids": pids])
        }
        let what = targets.count == 1 ? "pid \(pids) (\(targets[0].commandLine))" : "\(targets.count) processes"
        return HookPerformance(failure: nil, summary: "sent \(signal) to \(what)", details: ["pids": pids])
    }
}
