/// Which labels and annotations podmeta keeps (`--include-annotation`, `--exclude-label`,
/// ...), applied where the snapshot is assembled, so every output (the JSON file, the env
/// file, templates, socket sections, the `exec` environment, hooks) sees the same keys.
///
/// Per section: with no include pattern every key is kept, otherwise only keys matching at
/// least one include pattern; then keys matching any exclude pattern are dropped (exclude
/// wins). Patterns are ``KeyGlob``s on the bare key (`*` matches `/` too), the syntax of
/// hook filters: `kubectl.kubernetes.io/*`, `*.example.com/*`, `app`.
///
/// Filtering happens before the store compares contents, so revisions count filtered
/// content only: a change confined to excluded keys publishes nothing and fires no hook.
public struct MetadataFilter: Sendable, Hashable {
    public private(set) var includeLabels: [String]
    public private(set) var excludeLabels: [String]
    public private(set) var includeAnnotations: [String]
    public private(set) var excludeAnnotations: [String]
    private let labelRule: Rule
    private let annotationRule: Rule

    /// The patterns of one section.
    private struct Rule: Sendable, Hashable {
        let include: [KeyGlob]
        let exclude: [KeyGlob]

        init(include: [String], exclude: [String]) {
            self.include = include.map(KeyGlob.init)
            self.exclude = exclude.map(KeyGlob.init)
        }

        var isEmpty: Bool { include.isEmpty && exclude.isEmpty }

        func keeps(_ key: String) -> Bool {
            if !include.isEmpty && !include.contains(where: { $0.matches(key) }) { return false }
            return !exclude.contains(where: { $0.matches(key) })
        }
    }

    /// Keeps everything.
    public static let none = try! MetadataFilter()

    /// - Throws: ``MetadataFilterError`` for an empty pattern, which would match no key.
    public init(
        includeLabels: [String] = [], excludeLabels: [String] = [],
        includeAnnotations: [String] = [], excludeAnnotations: [String] = []
    ) throws(MetadataFilterError) {
        for (option, patterns) in [
            ("include-label", includeLabels), ("exclude-label", excludeLabels),
            ("include-annotation", includeAnnotations), ("exclude-annotation", excludeAnnotations),
        ] where patterns.contains("") {
            throw MetadataFilterError(option: option)
        }
        self.includeLabels = includeLabels
        self.excludeLabels = excludeLabels
        self.includeAnnotations = includeAnnotations
        self.excludeAnnotations = excludeAnnotations
        labelRule = Rule(include: includeLabels, exclude: excludeLabels)
        annotationRule = Rule(include: includeAnnotations, exclude: excludeAnnotations)
    }

    /// Whether it keeps every key.
    public var isEmpty: Bool { labelRule.isEmpty && annotationRule.isEmpty }

    /// Whether the label `key` is kept.
    public func keepsLabel(_ key: String) -> Bool { labelRule.keeps(key) }

    /// Whether the annotation `key` is kept.
    public func keepsAnnotation(_ key: String) -> Bool { annotationRule.keeps(key) }

    /// `snapshot` with the labels and annotations this filter drops removed; every other
    /// section is untouched.
    public func apply(to snapshot: PodSnapshot) -> PodSnapshot {
        if isEmpty { return snapshot }
        var filtered = snapshot
        if !labelRule.isEmpty { filtered.labels = snapshot.labels.filter { labelRule.keeps($0.key) } }
        if !annotationRule.isEmpty {
            filtered.annotations = snapshot.annotations.filter { annotationRule.keeps($0.key) }
        }
        return filtered
    }
}
