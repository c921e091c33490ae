/// A Kubernetes label selector (`tier in (web,api),!canary,env!=dev`), parsed and matched
/// exactly as apimachinery `pkg/labels` does (`labels.Parse`, `Selector.Matches`,
/// `Selector.String`).
///
/// Grammar: requirements separated by `,` (all must hold); each is `key`, `!key`,
/// `key=value`, `key==value`, `key!=value`, `key in (v1,v2)`, `key notin (v1,v2)`,
/// `key>N` or `key<N`. Spaces, tabs, CR and LF may surround tokens. Keys must be
/// qualified names (`[prefix/]name`), values valid label values (empty allowed). `in` and
/// `notin` are keywords only after a key: `notin=in` compares the label `notin` with `in`.
public struct LabelSelector: Sendable, Hashable, CustomStringConvertible {
    /// The requirements, sorted by key (stably, so same-key requirements keep their order).
    public let requirements: [LabelRequirement]

    /// The selector that matches everything (the empty string).
    public static let everything = LabelSelector(requirements: [])

    /// A selector from requirements, sorted by key as upstream's `Add` does.
    public init(requirements: [LabelRequirement]) {
        // Swift's sort is stable; upstream's sort.Sort is for up to 12 elements (insertion sort).
        self.requirements = requirements.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }

    /// Parses selector text.
    ///
    /// - Throws: ``SelectorError`` with the byte offset of the offending token.
    public init(parsing text: String) throws(SelectorError) {
        var parser = SelectorParser(text)
        self.init(requirements: try parser.parse())
    }

    /// Whether the selector places no restriction (it matches every label set).
    public var isEmpty: Bool { requirements.isEmpty }

    /// Whether every requirement holds for `labels`.
    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { $0.matches(labels) }
    }

    /// The canonical text, as upstream's `String()`: requirements joined with `,` in key
    /// order, no spaces except around `in`/`notin`; parsing it gives an equal selector.
    public var description: String {
        requirements.map(\.description).joined(separator: ",")
    }
}
