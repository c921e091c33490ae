/// The triggers produced by one wake-up of a watcher, coalesced.
///
/// Presence changes (`volumeMissing`, `volumeRestored`) are kept in order, because the
/// last one says what the volume looks like now. Between two of them, content triggers of
/// the same kind merge (`filesChanged` names are united), `overflow` absorbs the other
/// content triggers, and `resync` is only added to an otherwise empty batch.
struct TriggerBatch: Equatable {
    private(set) var triggers: [WatchTrigger] = []

    var isEmpty: Bool { triggers.isEmpty }

    mutating func add(_ trigger: WatchTrigger) {
        switch trigger {
        case .volumeMissing, .volumeRestored:
            if triggers.last != trigger { triggers.append(trigger) }
        case .resync:
            if triggers.isEmpty { triggers.append(.resync) }
        case .overflow:
            let start = segmentStart
            triggers.removeSubrange(start...)
            triggers.append(.overflow)
        case .dataSwapped:
            let segment = triggers[segmentStart...]
            if !segment.contains(.overflow) && !segment.contains(.dataSwapped) { triggers.append(.dataSwapped) }
        case .filesChanged(let names):
            let start = segmentStart
            if triggers[start...].contains(.overflow) { return }
            if let index = triggers[start...].firstIndex(where: { if case .filesChanged = $0 { true } else { false } }),
                case .filesChanged(let existing) = triggers[index]
            {
                var merged = existing
                for name in names where !merged.contains(name) { merged.append(name) }
                triggers[index] = .filesChanged(merged)
            } else {
                var unique: [String] = []
                for name in names where !unique.contains(name) { unique.append(name) }
                triggers.append(.filesChanged(unique))
            }
        }
        // A resync alone in a batch means "nothing happened"; once anything else happens
        // the other trigger already makes the consumer re-read.
        if triggers.count > 1, let index = triggers.firstIndex(of: .resync) { triggers.remove(at: index) }
    }

    /// Index after the last presence change: content triggers merge only within it.
    private var segmentStart: Int {
        guard let last = triggers.lastIndex(where: { $0 == .volumeMissing || $0 == .volumeRestored }) else { return 0 }
        return last + 1
    }
}
