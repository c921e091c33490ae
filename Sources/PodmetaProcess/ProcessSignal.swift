import Glibc

/// A POSIX signal, parsed from the names users write in flags and config files.
public struct ProcessSignal: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let hangup = ProcessSignal(rawValue: SIGHUP)
    public static let interrupt = ProcessSignal(rawValue: SIGINT)
    public static let quit = ProcessSignal(rawValue: SIGQUIT)
    public static let kill = ProcessSignal(rawValue: SIGKILL)
    public static let user1 = ProcessSignal(rawValue: SIGUSR1)
    public static let user2 = ProcessSignal(rawValue: SIGUSR2)
    public static let terminate = ProcessSignal(rawValue: SIGTERM)

    /// Standard names without the `SIG` prefix, as `kill -l` prints them on Linux.
    static let names: [(String, Int32)] = [
        ("HUP", SIGHUP), ("INT", SIGINT), ("QUIT", SIGQUIT), ("ILL", SIGILL), ("TRAP", SIGTRAP),
        ("ABRT", SIGABRT), ("BUS", SIGBUS), ("FPE", SIGFPE), ("KILL", SIGKILL), ("USR1", SIGUSR1),
        ("SEGV", SIGSEGV), ("USR2", SIGUSR2), ("PIPE", SIGPIPE), ("ALRM", SIGALRM), ("TERM", SIGTERM),
        ("STKFLT", SIGSTKFLT), ("CHLD", SIGCHLD), ("CONT", SIGCONT), ("STOP", SIGSTOP), ("TSTP", SIGTSTP),
        ("TTIN", SIGTTIN), ("TTOU", SIGTTOU), ("URG", SIGURG), ("XCPU", SIGXCPU), ("XFSZ", SIGXFSZ),
        ("VTALRM", SIGVTALRM), ("PROF", SIGPROF), ("WINCH", SIGWINCH), ("IO", SIGIO), ("PWR", SIGPWR),
        ("SYS", SIGSYS),
    ]

    /// Parses `HUP`, `SIGHUP`, `sighup`, `1`, `RTMIN+2` or `SIGRTMAX-1`; nil for anything else.
    public init?(parsing text: String) {
        if let number = Int32(text) {
            guard number > 0, number < NSIG else { return nil }
            self.init(rawValue: number)
            return
        }
        var name = text.uppercased()
        if name.hasPrefix("SIG") { name.removeFirst(3) }
        if let entry = ProcessSignal.names.first(where: { $0.0 == name }) {
            self.init(rawValue: entry.1)
            return
        }
        let low = __libc_current_sigrtmin(), high = __libc_current_sigrtmax()
        for (prefix, base, sign) in [("RTMIN", low, Int32(1)), ("RTMAX", high, Int32(-1))] where name.hasPrefix(prefix)
        {
            let rest = name.dropFirst(prefix.count)
            var offset: Int32 = 0
            if !rest.isEmpty {
                guard rest.first == (sign > 0 ? "+" : "-"), let value = Int32(rest.dropFirst()) else { return nil }
                offset = value * sign
            }
            let number = base + offset
            guard number >= low, number <= high else { return nil }
            self.init(rawValue: number)
            return
        }
        return nil
    }

    /// `SIGHUP`, or `SIGRTMIN+2` for real-time signals, or `signal 99` when unknown.
    public var name: String {
        if let entry = ProcessSignal.names.first(where: { $0.1 == rawValue }) { return "SIG" + entry.0 }
        let low = __libc_current_sigrtmin(), high = __libc_current_sigrtmax()
        if rawValue >= low, rawValue <= high { return rawValue == low ? "SIGRTMIN" : "SIGRTMIN+\(rawValue - low)" }
        return "signal \(rawValue)"
    }

    /// False for SIGKILL and SIGSTOP, which no process can catch (so no reload can use them).
    public var canBeCaught: Bool { rawValue != SIGKILL && rawValue != SIGSTOP }

    public var description: String { name }
}
