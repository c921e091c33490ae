/// What changed in labels and annotations between two snapshots: what hooks fire on.
///
/// Pod fields, resources and `env` are not part of it: the Downward API cannot change them
/// while a container runs.
public struct SnapshotDiff: Sendable, Hashable {
    /// The changes, labels first, then annotations, each in key byte order.
    public let changes: [MetadataChange]

    /// Annotations the kubelet writes for itself: they change on kubelet restarts and
    /// config reloads without the pod's metadata changing, so they never fire hooks.
    public static let kubeletLocalAnnotations: Set<String> = [
        "kubernetes.io/config.seen", "kubernetes.io/config.source", "kubernetes.io/config.hash",
    ]

    /// The difference from `old` to `new`. For the first snapshot pass an empty
    /// `PodSnapshot()` as `old`: every key is then "added".
    public init(from old: PodSnapshot, to new: PodSnapshot) {
        var changes: [MetadataChange] = []
        SnapshotDiff.compare(.labels, old.labels, new.labels, into: &changes)
        SnapshotDiff.compare(.annotations, old.annotations, new.annotations, into: &changes)
        self.changes = changes.sorted(by: MetadataChange.precedes)
    }

    /// A diff of given changes, put in the canonical order.
    public init(changes: [MetadataChange]) {
        self.changes = changes.sorted(by: MetadataChange.precedes)
    }

    private static func compare(
        _ section: MetadataChange.Section, _ old: [String: String], _ new: [String: String],
        into changes: inout [MetadataChange]
    ) {
        // Values compare by bytes: Swift's == treats canonically equivalent strings ("é" and
        // "e\u{301}") as equal, but a hook must see every change the kubelet writes.
        for (key, oldValue) in old {
            let newValue = new[key]
            if let newValue, newValue.utf8.elementsEqual(oldValue.utf8) { continue }
            changes.append(MetadataChange(section: section, key: key, old: oldValue, new: newValue))
        }
        for (key, newValue) in new where old[key] == nil {
            changes.append(MetadataChange(section: section, key: key, old: nil, new: newValue))
        }
    }

    public var isEmpty: Bool { changes.isEmpty }

    /// The changes that may fire hooks: all but those of ``kubeletLocalAnnotations``.
    public var firingChanges: [MetadataChange] {
        changes.filter { !SnapshotDiff.isKubeletLocal($0) }
    }

    /// Whether `change` is one of the kubelet's own bookkeeping annotations.
    public static func isKubeletLocal(_ change: MetadataChange) -> Bool {
        change.section == .annotations && kubeletLocalAnnotations.contains(change.key)
    }

    /// The `PODMETA_CHANGED` text: the paths of `changes`, space-separated
    /// (`labels/version annotations/x`).
    public static func changedText(_ changes: [MetadataChange]) -> String {
        changes.map(\.path).joined(separator: " ")
    }
}
