/// What a watcher did so far, for metrics and tests. Counters only grow.
public struct WatcherStatistics: Sendable, Hashable {
    /// Times the watcher's thread or task woke up (a return from poll(2), a polling tick).
    /// An idle inotify watcher without resync never wakes.
    public var wakeups: UInt64 = 0
    /// Kernel events read (inotify) or volume scans made (polling).
    public var eventsRead: UInt64 = 0
    /// Triggers handed to the stream.
    public var triggersEmitted: UInt64 = 0
    /// Triggers the stream dropped because the consumer lagged (the newest are kept).
    public var triggersDropped: UInt64 = 0
    /// `..data` commits seen: `MOVED_TO`/`CREATE ..data` events (inotify) or a new
    /// `..data` target between two scans (polling).
    public var commitsObserved: UInt64 = 0
    /// ``commitsObserved`` as it was when the latest trigger was emitted. When the volume is
    /// quiet, this equals ``commitsObserved``: every commit was followed by a trigger.
    public var commitsReported: UInt64 = 0
    /// `IN_Q_OVERFLOW` events.
    public var overflows: UInt64 = 0
    /// Times the inotify watch was set up again (volume missing, restored, replaced).
    public var rearms: UInt64 = 0

    public init() {}
}
