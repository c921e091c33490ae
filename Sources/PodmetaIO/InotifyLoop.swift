internal import CInotifyTools
import Glibc
import Logging
import PodmetaSystem

/// The body of ``InotifyWatcher``'s thread, and the only code that calls libinotifytools.
///
/// There is exactly one inotify watch at a time: on the volume root when it exists, else on
/// its nearest existing ancestor directory (to learn when the root appears without
/// waking up periodically). Every change of that watch tears the library down
/// (inotifytools_cleanup) and sets it up afresh: the library cannot forget a watch the
/// kernel already dropped (its inotify_rm_watch fails and it prints to stderr), and a
/// fresh instance per arming keeps its global tables exact. Re-arming is rare (the volume
/// went away or came back), so the cost does not matter.
///
/// The thread blocks in poll(2) on two descriptors: the shutdown eventfd and the inotify
/// descriptor. The timeout is the resync deadline (or infinite), so an idle watcher never
/// wakes. Events are then drained with `inotifytools_next_events(0, 1)`, which since
/// inotify-tools 3.20 returns at once when nothing is queued (`timeout < 0` blocks; older
/// releases blocked on 0 too and are not supported).
final class InotifyLoop {
    let root: String
    private var classifier: InotifyEventClassifier
    private let resyncInterval: Duration?
    private let recheckInterval: Duration
    private let emitter: TriggerEmitter
    private let shutdown: ShutdownSignal
    private let statistics: StatisticsBox
    private let logger: Logger
    private let clock = ContinuousClock()

    private(set) var arming: InotifyEventClassifier.Arming = .none
    /// Whether the consumer was last told the root exists.
    var reportedPresent = true
    private var libraryOpen = false
    private var inotifyDescriptor: Int32 = -1
    /// When nothing could be watched: the next attempt.
    private var recheckAt: ContinuousClock.Instant?
    private var lastEmission: ContinuousClock.Instant
    private var blindSince: ContinuousClock.Instant?

    /// Events drained before the batch so far is handed over, so a storm of events (a
    /// busy plain directory) cannot hold triggers back indefinitely.
    private static let flushEvery = 1024
    /// libinotifytools select(2)s on its descriptor: an fd_set holds descriptors < 1024.
    private static let selectLimit: Int32 = 1024

    init(
        root: String, classifier: InotifyEventClassifier, resyncInterval: Duration?, recheckInterval: Duration,
        emitter: TriggerEmitter, shutdown: ShutdownSignal, statistics: StatisticsBox, logger: Logger
    ) {
        self.root = root
        self.classifier = classifier
        self.resyncInterval = resyncInterval
        self.recheckInterval = recheckInterval
        self.emitter = emitter
        self.shutdown = shutdown
        self.statistics = statistics
        self.logger = logger
        self.lastEmission = clock.now
    }

    // MARK: Arming

    private enum WatchOutcome {
        case watching(Int32)
        /// The path disappeared between the check and inotify_add_watch.
        case vanished
    }

    /// Sets up the single watch. Returns true when the root itself is watched, false when
    /// it is missing and an ancestor is watched instead.
    ///
    /// - Parameter initial: at start a root that is not a directory is the caller's
    ///   mistake (``WatcherError/notADirectory(path:)``); later it counts as missing.
    func arm(initial: Bool) throws(WatcherError) -> Bool {
        // A root that flickers in and out of existence could keep this loop going; after
        // a few rounds the caller falls back to a timed recheck.
        for _ in 0..<8 {
            if Posix.isDirectory(root) {
                switch try watch(root, mask: InotifyEventClassifier.rootMask) {
                case .watching(let wd):
                    arming = .root(wd: wd)
                    // After the watch: a later change of ..data comes as an event.
                    classifier.dataLinkPresent = Posix.isSymlink(root + "/..data")
                    return true
                case .vanished:
                    continue
                }
            }
            // stat, not lstat: a dangling symlink is a root still to come, not an error.
            if initial, (try? Posix.statIfPresent(root)) != nil {
                throw .notADirectory(path: root)
            }
            var ancestor = PathNames.directory(of: root)
            var next = PathNames.base(of: root)
            while !Posix.isDirectory(ancestor) {
                next = PathNames.base(of: ancestor)
                ancestor = PathNames.directory(of: ancestor)
            }
            switch try watch(ancestor, mask: InotifyEventClassifier.ancestorMask) {
            case .watching(let wd):
                arming = .ancestor(wd: wd, next: next)
            case .vanished:
                continue
            }
            // The next component (maybe the root) may have appeared between the walk
            // above and the watch: its CREATE was missed, so look again.
            if Posix.isDirectory(ancestor == "/" ? "/" + next : ancestor + "/" + next) { continue }
            return false
        }
        closeLibrary()
        throw .setupFailed(
            path: root, operation: "watching (the path kept appearing and vanishing)", errno: ErrnoValue(EAGAIN))
    }

    /// A fresh library instance with one watch on `path`.
    private func watch(_ path: String, mask: UInt32) throws(WatcherError) -> WatchOutcome {
        closeLibrary()
        let before = InotifyDescriptorLocator.inotifyDescriptors()
        guard inotifytools_initialize() != 0 else {
            throw WatcherError.fromInotify(path: path, operation: "inotify_init", errno: inotifytools_error())
        }
        libraryOpen = true
        guard inotifytools_watch_file(path, Int32(bitPattern: mask)) != 0 else {
            let code = inotifytools_error()
            closeLibrary()
            if code == ENOENT { return .vanished }
            throw WatcherError.fromInotify(path: path, operation: "inotify_add_watch", errno: code)
        }
        // The library files a directory under its name with a trailing slash.
        let wd = inotifytools_wd_from_filename(path == "/" ? "/" : path + "/")
        var info = stat()
        let inode = stat(path, &info) == 0 ? UInt64(info.st_ino) : 0
        guard wd > 0, let fd = InotifyDescriptorLocator.locate(excluding: before, wd: wd, inode: inode) else {
            closeLibrary()
            throw .descriptorUnusable(reason: "no new inotify descriptor watching \(path) was found in /proc/self/fd")
        }
        guard fd < Self.selectLimit else {
            closeLibrary()
            throw .descriptorUnusable(
                reason:
                    "descriptor \(fd) is beyond FD_SETSIZE (\(Self.selectLimit)), which libinotifytools' select(2) cannot use"
            )
        }
        // inotify_init() without IN_CLOEXEC: keep the descriptor out of hook processes.
        _ = fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC)
        inotifyDescriptor = fd
        return .watching(wd)
    }

    /// Releases the library's descriptor and tables (idempotent).
    func closeLibrary() {
        guard libraryOpen else { return }
        inotifytools_cleanup()
        libraryOpen = false
        inotifyDescriptor = -1
    }

    // MARK: The thread

    func run() {
        Self.nameThisThread("podmeta-inotify")
        defer {
            closeLibrary()
            emitter.finish()
            InotifyToolsClaim.release()
        }
        while true {
            var descriptors = [pollfd(fd: shutdown.descriptor, events: Int16(POLLIN), revents: 0)]
            if inotifyDescriptor >= 0 {
                descriptors.append(pollfd(fd: inotifyDescriptor, events: Int16(POLLIN), revents: 0))
            }
            let ready = poll(&descriptors, nfds_t(descriptors.count), pollTimeout())
            statistics.update { $0.wakeups += 1 }
            if ready < 0 {
                if errno == EINTR { continue }
                logger.error(
                    "poll failed; the watcher stops", metadata: ["path": "\(root)", "error": "\(ErrnoValue.current)"])
                return
            }
            if descriptors[0].revents != 0 { return }

            var batch = TriggerBatch()
            var rootLost = false
            var lookAgain = false
            if descriptors.count > 1, descriptors[1].revents != 0 {
                if descriptors[1].revents & Int16(POLLIN) != 0 {
                    guard let outcome = drain(into: &batch) else { return }
                    rootLost = outcome.rootLost
                    lookAgain = outcome.ancestorChanged
                } else {
                    // POLLERR/POLLNVAL: the descriptor is broken; start over.
                    lookAgain = true
                }
            }
            if rootLost || lookAgain {
                rearm(rootWasLost: rootLost, into: &batch)
            } else if let recheckAt, clock.now >= recheckAt {
                rearm(rootWasLost: false, into: &batch)
            }
            if batch.isEmpty, let resyncInterval, clock.now >= lastEmission + resyncInterval {
                batch.add(.resync)
            }
            guard emit(batch) else { return }
        }
    }

    /// pthread_setname_np needs _GNU_SOURCE, which Glibc's Swift module lacks; the comm
    /// file is the same thing. Only for `top -H`, gdb and strace: failure is harmless.
    private static func nameThisThread(_ name: String) {
        let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        try? Posix.writeAll(fd, Array(name.utf8.prefix(15)))
        close(fd)
    }

    private func emit(_ batch: TriggerBatch) -> Bool {
        guard !batch.isEmpty else { return true }
        lastEmission = clock.now
        return emitter.emit(batch)
    }

    /// Milliseconds until the next timed duty (resync, recheck), -1 for none.
    private func pollTimeout() -> Int32 {
        var deadline: ContinuousClock.Instant?
        if let resyncInterval { deadline = lastEmission + resyncInterval }
        if let recheckAt { deadline = min(deadline ?? recheckAt, recheckAt) }
        guard let deadline else { return -1 }
        let remaining = clock.now.duration(to: deadline)
        return remaining.pollTimeoutMilliseconds
    }

    private struct DrainOutcome {
        var rootLost = false
        var ancestorChanged = false
    }

    /// Reads every queued event into `batch`; nil when the consumer went away.
    private func drain(into batch: inout TriggerBatch) -> DrainOutcome? {
        var outcome = DrainOutcome()
        var events: UInt64 = 0
        var commits: UInt64 = 0
        var overflows: UInt64 = 0
        func flushCounters() {
            statistics.update { stats in
                stats.eventsRead += events
                stats.commitsObserved += commits
                stats.overflows += overflows
            }
            events = 0
            commits = 0
            overflows = 0
        }
        var sinceFlush = 0
        while let event = inotifytools_next_events(0, 1) {
            events += 1
            let wd = event.pointee.wd
            let mask = event.pointee.mask
            var name = ""
            if event.pointee.len > 0 {
                // The name follows the fixed header, NUL-padded to `len` bytes.
                let raw = UnsafeRawPointer(event).advanced(by: MemoryLayout<inotify_event>.size)
                let bytes = UnsafeRawBufferPointer(start: raw, count: Int(event.pointee.len))
                name = String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            switch classifier.classify(wd: wd, mask: mask, name: name, arming: arming) {
            case .ignore: break
            case .overflow:
                overflows += 1
                batch.add(.overflow)
            case .commit:
                commits += 1
                batch.add(.dataSwapped)
            case .dataLinkChanged: batch.add(.dataSwapped)
            case .fileChanged(let name): batch.add(.filesChanged([name]))
            case .rootLost: outcome.rootLost = true
            case .ancestorChanged: outcome.ancestorChanged = true
            }
            sinceFlush += 1
            if sinceFlush >= Self.flushEvery {
                sinceFlush = 0
                flushCounters()
                guard emit(batch) else { return nil }
                batch = TriggerBatch()
            }
        }
        let code = inotifytools_error()
        if code != 0 && code != EINTR && code != EAGAIN {
            logger.warning(
                "reading inotify events failed", metadata: ["path": "\(root)", "error": "\(ErrnoValue(code))"])
            outcome.ancestorChanged = true
        }
        flushCounters()
        return outcome
    }

    /// Sets the watch up again after the root or an ancestor changed, and reports the
    /// change of presence.
    private func rearm(rootWasLost: Bool, into batch: inout TriggerBatch) {
        statistics.update { $0.rearms += 1 }
        let present: Bool
        do {
            present = try arm(initial: false)
            recheckAt = nil
            if blindSince != nil {
                logger.notice("watching again", metadata: ["path": "\(root)"])
                blindSince = nil
            }
        } catch {
            arming = .none
            recheckAt = clock.now + recheckInterval
            present = Posix.isDirectory(root)
            if blindSince == nil {
                blindSince = clock.now
                logger.warning(
                    "cannot watch; re-reading on a timer until a watch can be set up again",
                    metadata: ["path": "\(root)", "error": "\(error)", "interval": "\(recheckInterval)"])
            }
            // Blind but present: every recheck is a full re-read.
            if present { batch.add(.resync) }
        }
        if rootWasLost && reportedPresent {
            batch.add(.volumeMissing)
            reportedPresent = false
        }
        if present != reportedPresent {
            batch.add(present ? .volumeRestored : .volumeMissing)
            reportedPresent = present
        }
    }
}
