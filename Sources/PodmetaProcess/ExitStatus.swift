/// How a child process ended.
public enum ExitStatus: Sendable, Hashable, CustomStringConvertible {
    /// It called exit with this status (0...255).
    case exited(Int32)
    /// A signal killed it.
    case signaled(ProcessSignal)

    /// Decodes a `waitpid` status word (the W* macros are not imported into Swift).
    init(waitStatus status: Int32) {
        let low = status & 0x7f
        if low == 0 {
            self = .exited((status >> 8) & 0xff)
        } else {
            self = .signaled(ProcessSignal(rawValue: low))
        }
    }

    /// The status a shell would report: the exit status, or 128+N after signal N.
    public var code: Int32 {
        switch self {
        case .exited(let status): status
        case .signaled(let signal): 128 + signal.rawValue
        }
    }

    /// True for exit status 0.
    public var isSuccess: Bool { self == .exited(0) }

    public var description: String {
        switch self {
        case .exited(let status): "exit status \(status)"
        case .signaled(let signal): "killed by \(signal.name) (status \(128 + signal.rawValue))"
        }
    }
}
