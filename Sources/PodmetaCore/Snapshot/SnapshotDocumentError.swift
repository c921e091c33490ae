/// A JSON document is not a podmeta snapshot document.
public struct SnapshotDocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }

    public var description: String { "not a podmeta snapshot document: \(reason)" }
}
