/// Which published snapshots `podmeta exec` passes on to its child (as a reload signal or a
/// restart): those whose labels or annotations differ from what the child last got in a
/// way that matters. Changes of ``SnapshotDiff/kubeletLocalAnnotations`` never pass (the
/// kubelet rewrites them without the pod changing, as for hooks); with `on` filters, only
/// a change one of them selects passes.
///
/// The baseline moves only when a snapshot passes: changes held back accumulate, so a later
/// change that passes hands the child everything at once and nothing is lost.
public struct ChildChangeGate: Sendable {
    /// What the child last got.
    public private(set) var delivered: PodSnapshot
    public let filters: [ChangeFilter]

    /// - Parameters:
    ///   - initial: the snapshot the child starts with.
    ///   - filters: the `on` filters; empty means every change but kubelet-local ones.
    public init(initial: PodSnapshot, filters: [ChangeFilter]) {
        delivered = initial
        self.filters = filters
    }

    /// Whether `snapshot` goes to the child; if so it becomes the new baseline.
    public mutating func admit(_ snapshot: PodSnapshot) -> Bool {
        let changes = SnapshotDiff(from: delivered, to: snapshot).firingChanges
        guard !changes.isEmpty else { return false }
        if !filters.isEmpty, !filters.contains(where: { $0.matchesAny(changes) }) { return false }
        delivered = snapshot
        return true
    }
}
