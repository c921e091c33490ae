/// Source data is malformed and strict mode (or the nature of the data) makes that fatal.
/// Exit status 65 in the CLI.
public struct SourceDataError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file path or `env:NAME` the data came from.
    public var source: String
    /// 1-based line, when the data is line-oriented.
    public var line: Int?
    /// Byte offset in the file, when known.
    public var byteOffset: Int?
    /// What is wrong.
    public var reason: String

    public init(source: String, line: Int? = nil, byteOffset: Int? = nil, reason: String) {
        self.source = source
        self.line = line
        self.byteOffset = byteOffset
        self.reason = reason
    }

    public var description: String {
        var location = source
        if let line { location += ":\(line)" }
        if let byteOffset { return "\(location): \(reason) at byte \(byteOffset)" }
        return "\(location): \(reason)"
    }
}
