import Synchronization

/// Shared, lock-protected ``WatcherStatistics``: written by the watcher's thread or task,
/// read by anyone.
final class StatisticsBox: Sendable {
    private let state = Mutex(WatcherStatistics())

    var snapshot: WatcherStatistics { state.withLock { $0 } }

    func update(_ body: (inout WatcherStatistics) -> Void) {
        state.withLock { body(&$0) }
    }
}
