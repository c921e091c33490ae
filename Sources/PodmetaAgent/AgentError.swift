/// Failures that end the agent.
package enum AgentError: Error, Sendable, CustomStringConvertible {
    /// `--once` could not read every source or write every output.
    case onceFailed(String)

    package var description: String {
        switch self {
        case .onceFailed(let reason): "the one-shot run failed: \(reason)"
        }
    }
}
