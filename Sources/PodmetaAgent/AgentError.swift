/// Failures that end the agent.
public enum AgentError: Error, Sendable, CustomStringConvertible {
    /// `--once` could not read every source or write every output.
    case onceFailed(String)

    public var description: String {
        switch self {
        case .onceFailed(let reason): "the one-shot run failed: \(reason)"
        }
    }
}
