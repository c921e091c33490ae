/// Ends the demo's main flow early: thrown by the steps, turned into a ``DemoOutcome``.
enum DemoStop: Error, Sendable {
    case interrupted
    case failed(String)
}
