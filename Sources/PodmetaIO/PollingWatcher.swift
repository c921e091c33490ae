import Logging
import PodmetaSystem
import Synchronization

/// The timer backend of ``Watcher``: works on every file system, needs no inotify
/// instance, and any number can run in one process.
///
/// Every `interval` it scans the volume (``VolumeFingerprint``): it stats the root,
/// readlinks `..data` and hashes (FNV-1a 64) the content of the mapped top-level entries,
/// and emits a trigger only when something differs from the previous scan:
/// ``WatchTrigger/dataSwapped`` for a new `..data` target, ``WatchTrigger/filesChanged(_:)``
/// for entries whose content changed, and ``WatchTrigger/volumeMissing`` /
/// ``WatchTrigger/volumeRestored`` when the root goes and comes. A change that is undone
/// within one interval goes unnoticed, which is harmless: the consumer's data is current.
///
/// Nothing runs until the owner calls ``run()`` in its own task (group): the watcher starts
/// no task of its own, so its lifetime is the owner's, as swift-service-lifecycle
/// prescribes. The scan makes small blocking reads; downward API volumes are tmpfs, where
/// these take microseconds.
public final class PollingWatcher: Watcher {
    /// The absolute volume root, nil when there is no volume (resync only).
    public let root: String?
    private let stream: AsyncStream<WatchTrigger>
    private let emitter: TriggerEmitter
    private let statisticsBox: StatisticsBox
    private let mappedNames: Set<String>?
    private let baseline: VolumeFingerprint?
    private let interval: Duration?
    private let resync: Duration?
    /// Set by ``stop()`` and when the consumer drops the stream.
    private let stopped = StopFlag()

    /// Takes the baseline scan; ``run()`` scans from then on.
    ///
    /// - Parameters:
    ///   - root: the volume root; nil for no volume, which makes this a pure resync timer
    ///     (for an agent that reads only environment variables).
    ///   - paths: the item paths the consumer reads; their top-level names are hashed.
    ///     Empty: every name not starting with `..`.
    ///   - interval: time between scans; nil disables scanning (resync only).
    ///   - resync: emit ``WatchTrigger/resync`` after this long without any trigger; nil
    ///     disables it.
    ///   - bufferLimit: triggers kept for a lagging consumer (the newest are kept).
    public init(
        root: String?, paths: [String] = [], interval: Duration? = .seconds(1), resync: Duration? = .seconds(60),
        bufferLimit: Int = 64, logger: Logger = Logger(label: "podmeta.watcher.polling")
    ) {
        let absoluteRoot = root.map(PathNames.absolute)
        let mappedNames = paths.isEmpty ? nil : PathNames.topLevelNames(of: paths)
        let statistics = StatisticsBox()
        let (stream, continuation) = AsyncStream.makeStream(
            of: WatchTrigger.self, bufferingPolicy: .bufferingNewest(max(1, bufferLimit)))
        let emitter = TriggerEmitter(continuation: continuation, statistics: statistics)
        // Scan before returning, so a change made right after init is never mistaken for
        // the baseline.
        let baseline = absoluteRoot.map { VolumeFingerprint.scan(root: $0, mappedNames: mappedNames) }
        if baseline?.state == .missing {
            var batch = TriggerBatch()
            batch.add(.volumeMissing)
            _ = emitter.emit(batch)
            logger.warning(
                "volume root does not exist yet; waiting for it", metadata: ["path": "\(absoluteRoot ?? "")"])
        }
        self.root = absoluteRoot
        self.stream = stream
        self.emitter = emitter
        self.statisticsBox = statistics
        self.mappedNames = mappedNames
        self.baseline = baseline
        self.interval = interval
        self.resync = resync
        continuation.onTermination = { [stopped] _ in stopped.set() }
    }

    public func triggers() -> AsyncStream<WatchTrigger> { stream }

    /// Finishes the stream at once; ``run()`` returns at its next wake-up, or at once when
    /// its task is cancelled (what the owner's task group does on shutdown).
    public func stop() {
        stopped.set()
        emitter.finish()
    }

    public var statistics: WatcherStatistics { statisticsBox.snapshot }

    /// Scans every `interval` (and emits resyncs) until ``stop()``, the consumer's end of
    /// the stream, or the cancellation of the calling task.
    public func run() async {
        defer { emitter.finish() }
        let root = self.root
        let mappedNames = self.mappedNames
        let interval = self.interval
        let resync = self.resync
        let emitter = self.emitter
        let stopped = self.stopped
        let clock = ContinuousClock()
        var previous = baseline
        var lastEmission = clock.now
        while !Task.isCancelled && !stopped.isSet {
            // Sleep until the next scan or the resync deadline, whichever is first.
            var wake: ContinuousClock.Instant?
            if root != nil, let interval { wake = clock.now + interval }
            if let resync { wake = min(wake ?? lastEmission + resync, lastEmission + resync) }
            guard let wake else {
                // Nothing to do ever: wait for cancellation.
                while !Task.isCancelled && !stopped.isSet { try? await Task.sleep(for: .seconds(3600)) }
                return
            }
            do {
                try await Task.sleep(until: wake, clock: clock)
            } catch {
                return
            }
            emitter.statistics.update { $0.wakeups += 1 }
            var batch = TriggerBatch()
            if let root, let previousScan = previous, interval != nil {
                let current = VolumeFingerprint.scan(root: root, mappedNames: mappedNames)
                let commit = current.isCommit(since: previousScan)
                emitter.statistics.update {
                    $0.eventsRead += 1
                    if commit { $0.commitsObserved += 1 }
                }
                for trigger in current.triggers(since: previousScan) { batch.add(trigger) }
                previous = current
            }
            if batch.isEmpty, let resync, clock.now >= lastEmission + resync { batch.add(.resync) }
            if !batch.isEmpty {
                lastEmission = clock.now
                guard emitter.emit(batch) else { return }
            }
        }
    }
}

/// A one-way flag shared with the stream's termination handler.
final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)

    func set() { value.store(true, ordering: .releasing) }

    var isSet: Bool { value.load(ordering: .acquiring) }
}
