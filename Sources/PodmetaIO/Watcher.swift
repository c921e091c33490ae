/// Tells its consumer when a downwardAPI volume (or a plain directory) may have changed.
///
/// Two backends implement it: ``InotifyWatcher`` (event driven, one per process) and
/// ``PollingWatcher`` (a timer; works everywhere). When ``InotifyWatcher`` throws a
/// ``WatcherError`` whose ``WatcherError/allowsPollingFallback`` is true, use polling.
///
/// A watcher reports nothing at start: the consumer does its initial read itself, then
/// re-reads the whole volume on every ``WatchTrigger``, whatever its case. The one
/// exception is a volume that is missing at start, reported at once as
/// ``WatchTrigger/volumeMissing``.
public protocol Watcher: AnyObject, Sendable {
    /// The triggers, until ``stop()``. There is one stream per watcher and it supports a
    /// single consumer; every call returns that same stream. Ending the iteration (the
    /// consuming task cancelled) stops the watcher too.
    func triggers() -> AsyncStream<WatchTrigger>

    /// Stops watching and finishes the stream. Idempotent; returns promptly (the inotify
    /// backend wakes its thread through an eventfd and waits for it to exit, which takes
    /// well under 100 ms).
    func stop()

    /// Counters for metrics and tests.
    var statistics: WatcherStatistics { get }

    /// The watcher's work, run by its owner in a task of the owner's task group until
    /// ``stop()`` or cancellation. ``PollingWatcher`` scans only while it runs; the inotify
    /// backend lives on a thread of its own (libinotifytools' global state pins it there)
    /// and returns at once.
    func run() async
}

extension Watcher {
    public func run() async {}
}
