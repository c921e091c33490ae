/// An `--item` or `--env-item` specification could not be understood.
public struct ItemSpecError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The specification as given.
    public var spec: String
    /// What is wrong with it.
    public var reason: String

    public init(spec: String, reason: String) {
        self.spec = spec
        self.reason = reason
    }

    public var description: String { "invalid item \"\(spec)\": \(reason)" }
}
