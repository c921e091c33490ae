/// A variable cannot be written in the requested format.
public struct EnvironmentRenderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the variable.
    public enum Kind: Sendable, Hashable {
        /// The name is not ASCII letters, digits and `_` starting with a non-digit.
        case invalidName
        /// The value contains a NUL byte.
        case containsNUL
        /// The value contains a line feed; the env-file format is one variable per line.
        case lineFeed
        /// The value contains a carriage return, which systemd reads as a line break and
        /// Docker drops at the end of a line.
        case carriageReturn
    }

    /// The format being written: `sh` or `env-file`.
    public var format: String
    /// The variable's name.
    public var name: String
    /// The field the variable came from (`annotations/example.com/note`).
    public var source: String
    public var kind: Kind

    public init(format: String, name: String, source: String, kind: Kind) {
        self.format = format
        self.name = name
        self.source = source
        self.kind = kind
    }

    /// Why, as the end of a sentence: "its value contains a NUL byte".
    public var reason: String {
        switch kind {
        case .invalidName: "\"\(name)\" is not a valid variable name"
        case .containsNUL: "its value contains a NUL byte"
        case .lineFeed:
            "its value spans several lines, which this one-line-per-variable format cannot hold (use the sh or json format for it)"
        case .carriageReturn:
            "its value contains a carriage return, which env-file readers treat as a line break (use the sh or json format for it)"
        }
    }

    public var description: String {
        switch kind {
        case .invalidName:
            "cannot write \(source) in \(format) format: \"\(name)\" is not a valid variable name"
        case .containsNUL:
            "cannot write \(name) (\(source)) in \(format) format: its value contains a NUL byte"
        case .lineFeed:
            "cannot write \(name) (\(source)) in \(format) format: its value spans several lines, which this one-line-per-variable format cannot hold (use --format sh or json)"
        case .carriageReturn:
            "cannot write \(name) (\(source)) in \(format) format: its value contains a carriage return, which env-file readers treat as a line break (use --format sh or json)"
        }
    }
}
