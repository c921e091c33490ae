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

    /// Linux refuses to start a program when one environment string (`NAME=value` and its
    /// NUL) exceeds MAX_ARG_STRLEN, 32 pages: 128 KiB with 4 KiB pages.
    public static let environmentStringLimit = 128 * 1024

    /// `PODMETA_REVISION` and `PODMETA_CHANGED`. A change list too long for one environment
    /// string keeps the whole keys that fit and adds `PODMETA_CHANGED_TRUNCATED=1`; the full
    /// list is on stdin.
    public var environment: [String: String] {
        let name = "PODMETA_CHANGED"
        let room = Self.environmentStringLimit - name.utf8.count - 2
        var changed = SnapshotDiff.changedText(changes)
        var environment = ["PODMETA_REVISION": String(revision)]
        if changed.utf8.count > room {
            var kept = 0
            for path in changes.map(\.path) {
                let next = kept + (kept == 0 ? 0 : 1) + path.utf8.count
                guard next <= room else { break }
                kept = next
            }
            changed = String(decoding: changed.utf8.prefix(kept), as: UTF8.self)
            environment["PODMETA_CHANGED_TRUNCATED"] = "1"
        }
        environment[name] = changed
        return environment
    }
}
