/// A snapshot field that could not become an environment variable. Issues are data for the
/// caller to log or print; the variables that could be named are still produced.
public enum EnvironmentIssue: Sendable, Hashable, CustomStringConvertible {
    /// Two fields map to the same name; `kept` is the one whose key comes first in byte
    /// order, `dropped` is left out. Names are never merged or numbered: a variable name
    /// that depends on which other keys exist would break scripts silently.
    case collision(name: String, kept: String, dropped: String)
    /// The value contains a NUL byte, which C environment strings cannot hold.
    case containsNUL(name: String, source: String)
    /// The key has no ASCII letter or digit, so nothing is left to name a variable after.
    case noUsableCharacters(source: String)
    /// A resource amount does not fit the integer the variable holds.
    case outOfRange(name: String, source: String)

    /// The field the issue is about.
    public var source: String {
        switch self {
        case .collision(_, _, let dropped): dropped
        case .containsNUL(_, let source), .noUsableCharacters(let source), .outOfRange(_, let source): source
        }
    }

    public var description: String {
        switch self {
        case .collision(let name, let kept, let dropped):
            "\(dropped) is left out of the environment because \(kept) also maps to \(name) and comes first in byte order"
        case .containsNUL(let name, let source):
            "\(name) (\(source)) is left out of the environment because its value contains a NUL byte"
        case .noUsableCharacters(let source):
            "\(source) is left out of the environment because its key has no ASCII letter or digit to name a variable after"
        case .outOfRange(let name, let source):
            "\(name) (\(source)) is left out of the environment because the amount does not fit in a 64-bit integer"
        }
    }
}
