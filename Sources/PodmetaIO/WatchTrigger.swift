/// Why a ``Watcher`` thinks the volume may have changed.
///
/// Every trigger means the same thing to a consumer: re-read the whole volume (one
/// consistent generation) and compare with what it had. The cases only say why, for logs
/// and metrics. Triggers may be coalesced (one trigger for many events) and may be
/// spurious (a swap does not mean a field changed), never missing: after the last change
/// on disk there is always a trigger that was emitted after it.
public enum WatchTrigger: Sendable, Hashable, CustomStringConvertible {
    /// `..data` was replaced (the kubelet's commit, `MOVED_TO ..data`), created or removed.
    case dataSwapped
    /// In a plain directory without `..data`: these top-level names were written, created,
    /// moved or deleted (deduplicated, in order of first event).
    case filesChanged([String])
    /// The kernel dropped events (`IN_Q_OVERFLOW`): nothing is known, re-read everything.
    case overflow
    /// The periodic backstop: no trigger for the resync interval.
    case resync
    /// The volume root is gone (or was never there): keep the last good data.
    case volumeMissing
    /// The volume root exists again (or appeared for the first time).
    case volumeRestored

    /// A stable lowercase label for metrics: `data_swapped`, `files_changed`, ...
    public var metricLabel: String {
        switch self {
        case .dataSwapped: "data_swapped"
        case .filesChanged: "files_changed"
        case .overflow: "overflow"
        case .resync: "resync"
        case .volumeMissing: "volume_missing"
        case .volumeRestored: "volume_restored"
        }
    }

    public var description: String {
        switch self {
        case .filesChanged(let names): "files_changed(\(names.joined(separator: ",")))"
        default: metricLabel
        }
    }
}
