/// A problem found in a source that did not stop the snapshot: a skipped line, a replaced
/// invalid byte, a file that could not be interpreted. Printed as warnings and logged.
public struct SourceIssue: Sendable, Hashable, CustomStringConvertible {
    /// Where: a file path, `env:NAME`, or an item name.
    public var source: String
    /// What happened, one sentence without the source.
    public var message: String

    public init(source: String, message: String) {
        self.source = source
        self.message = message
    }

    public var description: String { "\(source): \(message)" }
}
