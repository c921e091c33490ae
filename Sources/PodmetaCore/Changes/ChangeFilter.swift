/// One `on:` entry of a hook: which changes it cares about.
///
/// `labels/KEY` or `annotations/KEY`, KEY being an exact key or a pattern with `*` (any
/// characters, `/` included) and `?` (one character): `labels/*`, `annotations/example.com/*`,
/// `labels/app.kubernetes.io/?ame`. The section is everything before the first `/`.
public struct ChangeFilter: Sendable, Hashable, CustomStringConvertible {
    public let section: MetadataChange.Section
    private let glob: KeyGlob

    /// The key pattern as written.
    public var keyPattern: String { glob.pattern }

    public init(section: MetadataChange.Section, keyPattern: String) {
        self.section = section
        glob = KeyGlob(keyPattern)
    }

    /// Parses `SECTION/PATTERN`.
    public init(parsing text: String) throws(ChangeFilterError) {
        guard let slash = text.firstIndex(of: "/") else {
            throw ChangeFilterError(
                filter: text, reason: "expected labels/KEY or annotations/KEY (KEY may use * and ?)")
        }
        let name = String(text[..<slash])
        guard let section = MetadataChange.Section(rawValue: name) else {
            throw ChangeFilterError(filter: text, reason: "unknown section \"\(name)\", expected labels or annotations")
        }
        let pattern = String(text[text.index(after: slash)...])
        guard !pattern.isEmpty else {
            throw ChangeFilterError(filter: text, reason: "the key pattern is empty; use \(name)/* for every key")
        }
        self.init(section: section, keyPattern: pattern)
    }

    /// Whether `change` is one this filter selects.
    public func matches(_ change: MetadataChange) -> Bool {
        change.section == section && glob.matches(change.key)
    }

    /// Whether any of `changes` is selected.
    public func matchesAny(_ changes: [MetadataChange]) -> Bool {
        changes.contains(where: matches)
    }

    public var description: String { "\(section.rawValue)/\(glob.pattern)" }
}
