/// Which processes a signal hook targets: `nginx` (the executable's name, as `pgrep -x`
/// compares it: `comm`, or the base name of argv[0]) or `/regex/` (searched in the whole
/// command line, arguments joined by spaces, as `pgrep -f`).
public struct ProcessMatcher: Sendable, CustomStringConvertible {
    public let text: String
    /// The pattern's source; compiled again per match, because `Regex` is not `Sendable`
    /// and a signal hook matches rarely (once per run, over a few dozen processes).
    private let pattern: String?

    /// - Throws: ``ProcessMatcherError`` for an empty name or a pattern that does not compile.
    public init(parsing text: String) throws(ProcessMatcherError) {
        self.text = text
        if text.count >= 2, text.hasPrefix("/"), text.hasSuffix("/") {
            let source = String(text.dropFirst().dropLast())
            do {
                _ = try Regex(source)
                pattern = source
            } catch {
                throw ProcessMatcherError(text: text, reason: "is not a valid regular expression (\(error))")
            }
        } else {
            guard !text.isEmpty, !text.contains("/") else {
                throw ProcessMatcherError(
                    text: text, reason: "must be a process name such as nginx, or a /regular expression/")
            }
            pattern = nil
        }
    }

    public func matches(_ entry: ProcessTableEntry) -> Bool {
        if let pattern {
            guard let regex = try? Regex(pattern) else { return false }
            return entry.arguments.joined(separator: " ").contains(regex)
        }
        if entry.name == text { return true }
        guard let first = entry.arguments.first else { return false }
        return first.split(separator: "/").last.map(String.init) == text
    }

    public var description: String { text }
}

/// A signal hook's `process` is neither a name nor a valid `/regex/`.
public struct ProcessMatcherError: Error, Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var reason: String

    public var description: String { "the process \"\(text)\" \(reason)" }
}
