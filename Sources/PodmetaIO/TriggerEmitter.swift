/// The producing side of a watcher's stream: hands batches to the consumer and keeps the
/// statistics in step. Statistics are updated before the triggers are yielded, so a
/// consumer that reads ``WatcherStatistics`` after receiving a trigger sees at least the
/// state that trigger reports.
struct TriggerEmitter: Sendable {
    let continuation: AsyncStream<WatchTrigger>.Continuation
    let statistics: StatisticsBox

    /// Yields the batch; false when the consumer is gone and the watcher should end.
    func emit(_ batch: TriggerBatch) -> Bool {
        guard !batch.isEmpty else { return true }
        statistics.update { stats in
            stats.triggersEmitted += UInt64(batch.triggers.count)
            stats.commitsReported = stats.commitsObserved
        }
        var dropped: UInt64 = 0
        for trigger in batch.triggers {
            switch continuation.yield(trigger) {
            case .enqueued: break
            case .dropped: dropped += 1
            case .terminated: return false
            @unknown default: break
            }
        }
        if dropped > 0 { statistics.update { $0.triggersDropped += dropped } }
        return true
    }

    func finish() {
        continuation.finish()
    }
}
