/// What a hook receives: the JSON on its stdin and its extra environment variables.
public struct HookInput: Sendable, Hashable {
    /// The revision that fired the hook.
    public var revision: UInt64
    /// The revision the hook last ran for, or saw first (0 before any).
    public var previousRevision: UInt64
    /// The changes between the two, in ``SnapshotDiff`` order.
    public var changes: [MetadataChange]
    /// The snapshot at `revision`.
    public var snapshot: PodSnapshot

    public init(revision: UInt64, previousRevision: UInt64, changes: [MetadataChange], snapshot: PodSnapshot) {
        self.revision = revision
        self.previousRevision = previousRevision
        self.changes = changes
        self.snapshot = snapshot
    }

    /// `{"revision": N, "previousRevision": M, "changes": [...], "snapshot": {...}}`.
    public var jsonValue: JSONValue {
        .object([
            "revision": .int(Int64(clamping: revision)),
            "previousRevision": .int(Int64(clamping: previousRevision)),
            "changes": .array(changes.map(\.jsonValue)),
            "snapshot": snapshot.document(revision: revision),
        ])
    }

    /// The stdin bytes: compact JSON followed by a newline, so line-oriented readers
    /// (`read -r`, `jq` on a stream) see a complete line.
    public func stdin() -> [UInt8] {
        JSONRenderer(style: .compact).render(jsonValue) + [UInt8(ascii: "\n")]
    }

    /// `PODMETA_REVISION` and `PODMETA_CHANGED`.
    public var environment: [String: String] {
        ["PODMETA_REVISION": String(revision), "PODMETA_CHANGED": SnapshotDiff.changedText(changes)]
    }
}
