/// How a demo run ended.
package enum DemoOutcome: Sendable, Equatable {
    /// Every requested change was made and every consumer saw it.
    case completed(changes: Int)
    /// SIGINT or SIGTERM arrived after this many verified changes.
    case interrupted(changes: Int)
    /// Setup failed, the agent died, or a consumer missed a change; one sentence.
    case failed(String)
}
