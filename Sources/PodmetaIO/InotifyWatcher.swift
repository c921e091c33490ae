import Glibc
import Logging
import PodmetaSystem
import Synchronization

/// The inotify backend of ``Watcher``, built on libinotifytools.
///
/// **One per process.** libinotifytools keeps its descriptor, watch tables and event
/// buffer in C globals. A second `InotifyWatcher` created while one is running throws
/// ``WatcherError/alreadyRunning`` (use ``PollingWatcher`` for a second volume); after
/// ``stop()`` returns, a new one can be created. Nothing else in the process may call
/// libinotifytools.
///
/// **What is watched.** Only the volume root directory, never the files (a watch on
/// `ROOT/labels` follows the symlink into a timestamp directory and dies when the kubelet
/// deletes it) and never the timestamp directories. The mask is `MOVED_TO | CREATE |
/// DELETE | MOVED_FROM | CLOSE_WRITE | DELETE_SELF | MOVE_SELF` (never `OPEN`, `ACCESS`,
/// `CLOSE_NOWRITE`, which every read of the volume causes, nor `ATTRIB`, `MODIFY`):
/// - `MOVED_TO`/`CREATE ..data` (the kubelet's commit) gives ``WatchTrigger/dataSwapped``;
///   the kubelet's scaffolding (`..<timestamp>`, `..data_tmp`) and the top-level symlinks
///   it adds and drops after a commit give nothing more.
/// - In a plain directory (no `..data`), `CLOSE_WRITE`, `MOVED_TO`, `MOVED_FROM`, `CREATE`
///   and `DELETE` of a mapped top-level name give ``WatchTrigger/filesChanged(_:)``. Only
///   top-level names are seen: a nested item of a plain directory changes unnoticed until
///   the resync (the kubelet always swaps `..data`, so volumes are not affected).
/// - fsGroup ownership passes (`ATTRIB` on the root, the timestamp directories and the
///   symlinks) are not in the mask and give nothing; an update with fsGroup gives exactly
///   what one without gives.
/// - `IN_Q_OVERFLOW` gives ``WatchTrigger/overflow``.
///
/// **A missing root.** At start it is reported as ``WatchTrigger/volumeMissing`` at once.
/// The watcher then watches the nearest existing ancestor directory for the next path
/// component to be created or moved in (no periodic wake-up), descending as components
/// appear, and reports ``WatchTrigger/volumeRestored`` once the root exists and is watched.
/// A root deleted, moved away or unmounted later (`DELETE_SELF`, `MOVE_SELF`, `UNMOUNT`,
/// `IGNORED`) is reported as missing and handled the same way; a root replaced faster than
/// the watcher could look gives missing then restored. If no directory on the way can be
/// watched (permissions, limits), the watcher checks every `recheckInterval` and, while
/// the root exists, emits ``WatchTrigger/resync`` at each check.
///
/// **Threads.** Events are read on a dedicated pthread (`podmeta-inotify`) blocked in
/// poll(2) on the inotify descriptor and a shutdown eventfd, with the resync deadline as
/// timeout: an idle watcher without resync never wakes, and ``stop()`` returns as soon as
/// the thread has seen the eventfd and released the library.
public final class InotifyWatcher: Watcher {
    /// The absolute path of the watched volume root.
    public let root: String
    private let stream: AsyncStream<WatchTrigger>
    private let shutdown: ShutdownSignal
    private let statisticsBox: StatisticsBox
    /// The running thread; nil once somebody took it to join.
    private let thread: Mutex<pthread_t?>

    /// Sets up the watch and starts the thread.
    ///
    /// - Parameters:
    ///   - root: the volume root (made absolute against the working directory).
    ///   - paths: the item paths the consumer reads (`labels`, `sub/x`); their top-level
    ///     names filter ``WatchTrigger/filesChanged(_:)`` in plain directories. Empty:
    ///     every name not starting with `..`.
    ///   - resync: emit ``WatchTrigger/resync`` after this long without any trigger; nil
    ///     disables it.
    ///   - recheckInterval: how often to retry when nothing at all can be watched.
    ///   - bufferLimit: triggers kept for a lagging consumer (the newest are kept).
    /// - Throws: ``WatcherError``; check ``WatcherError/allowsPollingFallback``.
    public init(
        root: String, paths: [String] = [], resync: Duration? = .seconds(60), recheckInterval: Duration = .seconds(5),
        bufferLimit: Int = 64, logger: Logger = Logger(label: "podmeta.watcher.inotify")
    ) throws(WatcherError) {
        guard InotifyToolsClaim.acquire() else { throw .alreadyRunning }
        let absoluteRoot = PathNames.absolute(root)
        let signal: ShutdownSignal
        do {
            signal = try ShutdownSignal()
        } catch {
            InotifyToolsClaim.release()
            throw error
        }
        let statistics = StatisticsBox()
        let (stream, continuation) = AsyncStream.makeStream(
            of: WatchTrigger.self, bufferingPolicy: .bufferingNewest(max(1, bufferLimit)))
        let emitter = TriggerEmitter(continuation: continuation, statistics: statistics)
        let loop = InotifyLoop(
            root: absoluteRoot,
            classifier: InotifyEventClassifier(mappedNames: paths.isEmpty ? nil : PathNames.topLevelNames(of: paths)),
            resyncInterval: resync, recheckInterval: recheckInterval, emitter: emitter, shutdown: signal,
            statistics: statistics, logger: logger)
        let present: Bool
        do {
            present = try loop.arm(initial: true)
        } catch {
            loop.closeLibrary()
            continuation.finish()
            InotifyToolsClaim.release()
            throw error
        }
        loop.reportedPresent = present
        if !present {
            var batch = TriggerBatch()
            batch.add(.volumeMissing)
            _ = emitter.emit(batch)
            logger.warning("volume root does not exist yet; waiting for it", metadata: ["path": "\(absoluteRoot)"])
        }
        // The consumer stopped iterating: let the thread go. Only the eventfd is touched,
        // never a join, because this may run on the watcher thread itself.
        continuation.onTermination = { _ in signal.signal() }

        var handle = pthread_t()
        let context = Unmanaged.passRetained(loop).toOpaque()
        let created = pthread_create(&handle, nil, inotifyThreadMain, context)
        if created != 0 {
            Unmanaged<InotifyLoop>.fromOpaque(context).release()
            loop.closeLibrary()
            continuation.finish()
            InotifyToolsClaim.release()
            throw .setupFailed(path: absoluteRoot, operation: "pthread_create", errno: ErrnoValue(created))
        }
        self.root = absoluteRoot
        self.stream = stream
        self.shutdown = signal
        self.statisticsBox = statistics
        self.thread = Mutex(handle)
    }

    public func triggers() -> AsyncStream<WatchTrigger> { stream }

    /// Wakes the thread through the eventfd and waits for it to exit (it releases the
    /// library and finishes the stream first). Idempotent; a concurrent second call
    /// returns without waiting.
    public func stop() {
        let handle = thread.withLock { current -> pthread_t? in
            let taken = current
            current = nil
            return taken
        }
        shutdown.signal()
        guard let handle else { return }
        if pthread_equal(handle, pthread_self()) != 0 {
            pthread_detach(handle)
        } else {
            pthread_join(handle, nil)
        }
    }

    public var statistics: WatcherStatistics { statisticsBox.snapshot }

    deinit {
        stop()
    }
}

/// The thread's entry point: takes over the reference passed to pthread_create.
private func inotifyThreadMain(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    guard let context else { return nil }
    let loop = Unmanaged<InotifyLoop>.fromOpaque(context).takeRetainedValue()
    loop.run()
    return nil
}
