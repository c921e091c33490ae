import Synchronization

/// The process-wide claim on libinotifytools.
///
/// The library keeps its inotify descriptor, its watch tables and its event buffer in C
/// globals, so two users in one process would share (and corrupt) them. ``InotifyWatcher``
/// takes this claim before its first library call and gives it back only after
/// inotifytools_cleanup(); a second watcher meanwhile gets ``WatcherError/alreadyRunning``.
/// Nothing else in podmeta may call libinotifytools.
enum InotifyToolsClaim {
    private static let taken = Atomic<Bool>(false)

    /// True when the caller now owns the library.
    static func acquire() -> Bool {
        taken.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
    }

    static func release() {
        taken.store(false, ordering: .releasing)
    }
}
