/// An `on:` entry of a hook that is not `labels/KEY` or `annotations/KEY`.
public struct ChangeFilterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The entry as written.
    public var filter: String
    public var reason: String

    public init(filter: String, reason: String) {
        self.filter = filter
        self.reason = reason
    }

    public var description: String { "invalid on: filter \"\(filter)\": \(reason)" }
}
