/// Remembers which issues were already reported, so a long-running agent warns once per
/// key about a value it leaves out, not on every publish (nor again when the oversized
/// value merely changes size). An issue that goes away and comes back is reported again.
public struct IssueLedger: Sendable {
    private var current: Set<EnvironmentIssue.Identity> = []

    public init() {}

    /// The issues of `issues` not reported last time, in their order; remembers `issues`.
    public mutating func fresh(_ issues: [EnvironmentIssue]) -> [EnvironmentIssue] {
        let new = issues.filter { !current.contains($0.identity) }
        current = Set(issues.map(\.identity))
        return new
    }
}

extension EnvironmentIssue {
    /// What the issue is about, without the figures that change with the value.
    public struct Identity: Sendable, Hashable {
        var kind: String
        var source: String
    }

    public var identity: Identity {
        let kind =
            switch self {
            case .collision(let name, let kept, _): "collision \(name) \(kept)"
            case .containsNUL: "nul"
            case .noUsableCharacters: "unnamed"
            case .outOfRange: "range"
            case .notWritable(let error): "unwritable \(error.format) \(error.kind)"
            case .systemdReadsDifferently: "systemd"
            case .tooLongForExec: "exec-string"
            case .overExecBudget: "exec-total"
            }
        return Identity(kind: kind, source: source)
    }
}
