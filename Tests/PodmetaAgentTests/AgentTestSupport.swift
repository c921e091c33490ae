import Logging
import PodmetaCore
import PodmetaState
import Synchronization
import Testing

@testable import PodmetaAgent
@testable import PodmetaIO

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The parent of every suite in this target. Serialized, because some of them use the real
/// inotify watcher (libinotifytools: one per process) and all of them start processes,
/// mount file systems or keep two CPUs busy.
///
/// Serializing inside this target is not enough: PodmetaIOTests' inotify suite runs in the
/// same test process, concurrently with ours, and PodmetaProcessTests' ExecSupervisor tests
/// reap with `waitpid(-1)`. So everything here that creates an `InotifyWatcher` or spawns a
/// process runs its body in a child process of its own (an exit test, see ``inChild(_:)``),
/// which owns libinotifytools and its children.
@Suite(.serialized)
struct AgentIntegrationTests {}

// MARK: Child-process isolation

/// Runs a scenario as the body of an exit test: errors become issues (which the exit-test
/// machinery forwards to the parent with their comment), so the child always exits 0 unless
/// it crashes.
func inChild(_ body: () async throws -> Void) async {
    do {
        try await body()
    } catch is ExpectationFailedError {
        // `#require` already recorded the issue.
    } catch {
        Issue.record("the scenario threw: \(error)")
    }
}

// MARK: File-system helpers

/// A fresh directory under /tmp, removed with everything in it on deinit.
final class TemporaryDirectory: Sendable {
    let path: String

    init(_ label: String = "podmeta-agent") {
        var template = Array("/tmp/\(label).XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(created != nil, "mkdtemp failed: \(ErrnoValue.current)")
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func sub(_ name: String) -> String { path + "/" + name }

    deinit {
        try? Posix.removeTree(path)
    }
}

enum Files {
    static func read(_ path: String) -> [UInt8]? { try? Posix.readFile(path) }

    static func readText(_ path: String) -> String? { read(path).map { String(decoding: $0, as: UTF8.self) } }

    static func info(_ path: String) -> stat? { (try? Posix.lstatIfPresent(path)) ?? nil }

    static func exists(_ path: String) -> Bool { info(path) != nil }

    static func inode(_ path: String) -> UInt64? { info(path).map { UInt64($0.st_ino) } }

    static func write(_ path: String, _ text: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        precondition(fd >= 0, "open \(path): \(ErrnoValue.current)")
        try? Posix.writeAll(fd, Array(text.utf8))
        close(fd)
    }

    static func append(_ path: String, _ text: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        precondition(fd >= 0, "open \(path): \(ErrnoValue.current)")
        try? Posix.writeAll(fd, Array(text.utf8))
        close(fd)
    }

    static func mkdir(_ path: String) {
        try? Posix.makeDirectories(path, mode: 0o755)
    }

    static func removeTree(_ path: String) {
        try? Posix.removeTree(path)
    }

    /// A kubelet-style swap that changes nothing: a new timestamp directory holding a copy of
    /// every file of the current one, committed by renaming `..data_tmp` over `..data`, the old
    /// directory removed. (KubeletVolumeWriter writes nothing for an identical payload, as the
    /// kubelet does; this is what a kubelet restart or a rewrite by another writer looks like.)
    static func identicalSwap(root: String) throws {
        let old = try Posix.readLink(root + "/..data")
        let fresh = "..2026_01_01_00_00_00.\(UInt32.random(in: 1 ... .max))"
        try Posix.makeDirectories(root + "/" + fresh, mode: 0o755)
        for relative in KubeletVolumeWriter.relativePaths(under: root + "/" + old).sorted() {
            let source = root + "/" + old + "/" + relative
            let target = root + "/" + fresh + "/" + relative
            if Posix.isDirectory(source) {
                try Posix.makeDirectories(target, mode: 0o755)
            } else {
                write(target, String(decoding: try Posix.readFile(source), as: UTF8.self))
            }
        }
        guard symlink(fresh, root + "/..data_tmp") == 0, rename(root + "/..data_tmp", root + "/..data") == 0 else {
            throw ErrnoValue.current
        }
        try Posix.removeTree(root + "/" + old)
    }
}

/// The payload bytes of a text map.
func payload(_ items: [String: String]) -> [String: [UInt8]] {
    items.mapValues { Array($0.utf8) }
}

/// A `labels` or `annotations` file as the kubelet writes it.
func mapFile(_ map: [String: String]) -> [UInt8] {
    KubeletMapFormat.format(map)
}

// MARK: Waiting

struct DeadlineExceeded: Error, CustomStringConvertible {
    let what: String
    var description: String { "gave up waiting for \(what)" }
}

/// Waits until `condition` holds, checking every few milliseconds. The deadline only guards
/// against a hang (it fails the test); no test asserts on how long anything took.
func waitUntil(_ what: String, timeout: Duration = .seconds(30), _ condition: () throws -> Bool) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while try !condition() {
        if clock.now > deadline { throw DeadlineExceeded(what: what) }
        try await Task.sleep(for: .milliseconds(5))
    }
}

/// A flag one thread sets and another polls.
final class Flag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}

private final class ThreadJob: Sendable {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}

/// Runs blocking work on a fresh thread of its own, off the cooperative pool.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let job = ThreadJob {
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }
        var thread = pthread_t()
        let context = Unmanaged.passRetained(job).toOpaque()
        let created = pthread_create(
            &thread, nil,
            { raw in
                Unmanaged<ThreadJob>.fromOpaque(raw!).takeRetainedValue().run()
                return nil
            }, context)
        precondition(created == 0, "pthread_create: \(ErrnoValue(created))")
        pthread_detach(thread)
    }
}

// MARK: Logs

/// A LogHandler that keeps every event, to assert on what the agent said.
struct CapturingLogHandler: LogHandler {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    final class Store: Sendable {
        private let entries = Mutex<[Entry]>([])
        func append(_ entry: Entry) { entries.withLock { $0.append(entry) } }
        var all: [Entry] { entries.withLock { $0 } }
        func contains(_ level: Logger.Level, _ fragment: String) -> Bool {
            all.contains { $0.level == level && $0.message.contains(fragment) }
        }
    }

    let store: Store
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        store.append(Entry(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" }))
    }

    static func logger() -> (Logger, Store) {
        let store = Store()
        return (Logger(label: "agent-test", factory: { _ in CapturingLogHandler(store: store) }), store)
    }
}

// MARK: Mounts

/// Root with mount(2) rights: read-only and full-disk situations are built with tmpfs
/// (file modes do not stop root).
enum MountFixture {
    static let available: Bool = {
        guard geteuid() == 0 else { return false }
        let probe = TemporaryDirectory("podmeta-agent-mount-probe")
        guard mount("tmpfs", probe.path, "tmpfs", 0, "size=64k") == 0 else { return false }
        umount(probe.path)
        return true
    }()

    static func mountTmpfs(_ path: String, size: String = "256k") throws {
        if mount("tmpfs", path, "tmpfs", 0, "size=\(size)") != 0 { throw ErrnoValue.current }
    }

    static func remount(_ path: String, readOnly: Bool) throws {
        let flags = UInt(MS_REMOUNT) | (readOnly ? UInt(MS_RDONLY) : 0)
        if mount("tmpfs", path, "tmpfs", flags, nil) != 0 { throw ErrnoValue.current }
    }

    static func unmount(_ path: String) {
        umount2(path, Int32(MNT_DETACH))
    }
}

// MARK: The agent under test

/// The snapshot document as read back from the JSON file.
struct PublishedDocument: Sendable {
    let revision: Int64
    let labels: [String: String]
    let annotations: [String: String]
    let pod: [String: String]

    init(_ bytes: [UInt8]) throws {
        let value = try JSONParser.parse(bytes)
        guard let revision = value["revision"]?.int64Value else {
            throw DocumentProblem(reason: "no revision in \(String(decoding: bytes, as: UTF8.self))")
        }
        self.revision = revision
        func strings(_ section: String) -> [String: String] {
            (value[section]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        }
        labels = strings("labels")
        annotations = strings("annotations")
        pod = strings("pod")
    }

    static func read(_ path: String) throws -> PublishedDocument {
        try PublishedDocument(try Posix.readFile(path))
    }

    /// The document, or nil when the file is absent or does not parse.
    static func current(_ path: String) -> PublishedDocument? {
        try? read(path)
    }
}

struct DocumentProblem: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}

/// A kubelet-style volume, an `AgentService` watching it and writing the JSON file, and the
/// task that runs it.
final class AgentFixture: Sendable {
    let directory: TemporaryDirectory
    let root: String
    let outputDirectory: String
    let output: String
    let writer: KubeletVolumeWriter
    let service: AgentService
    let logs: CapturingLogHandler.Store
    private let task = Mutex<Task<Void, any Error>?>(nil)

    var store: SnapshotStore { service.store }
    var metrics: MetricsRegistry { service.metrics }
    var health: AgentHealth { service.health }

    static let defaultItems = ["labels=metadata.labels", "annotations=metadata.annotations", "name=metadata.name"]

    /// - Parameters:
    ///   - initial: written to the volume before the agent starts; nil leaves the root absent.
    ///   - outputDirectory: where the JSON file goes (default: a fresh directory).
    init(
        backend: AgentConfiguration.WatcherBackend,
        initial: [String: [UInt8]]?,
        items: [String] = AgentFixture.defaultItems,
        outputDirectory: String? = nil,
        resync: Duration? = nil,
        pollInterval: Duration = .milliseconds(5),
        once: Bool = false,
        ownershipNoise: Bool = false,
        strict: Bool = false
    ) throws {
        directory = TemporaryDirectory()
        root = directory.sub("podinfo")
        self.outputDirectory = outputDirectory ?? directory.sub("out")
        Files.mkdir(self.outputDirectory)
        output = self.outputDirectory + "/pod.json"
        writer = KubeletVolumeWriter(root: root, simulatesOwnershipChange: ownershipNoise)
        if let initial {
            Files.mkdir(root)
            try writer.write(initial)
        }
        let volumeItems = try items.map { try VolumeItem(parsing: $0) }
        let loader = SnapshotLoader(
            volume: root,
            assembler: SnapshotAssembler(items: volumeItems, environment: EnvironmentSpec(prefix: ""), strict: strict))
        let configuration = AgentConfiguration(
            loader: loader, outputs: [JSONFileOutput(path: output, forbiddenRoot: root)], watcherBackend: backend,
            pollInterval: pollInterval, resyncInterval: resync, once: once, variables: [:])
        let (logger, logs) = CapturingLogHandler.logger()
        self.logs = logs
        service = AgentService(
            configuration: configuration, store: SnapshotStore(), health: AgentHealth(), metrics: MetricsRegistry(),
            logger: logger)
    }

    /// Starts the agent's loop in a task.
    func start() {
        let service = self.service
        task.withLock { $0 = Task { try await service.run() } }
    }

    /// Cancels the loop and waits for it to end; rethrows what `run()` threw.
    func stop() async throws {
        guard let running = task.withLock({ $0 }) else { return }
        running.cancel()
        try await running.value
    }

    /// Whether `run()` has returned or thrown.
    func runResult() async -> Result<Void, any Error>? {
        guard let running = task.withLock({ $0 }) else { return nil }
        return await running.result
    }

    /// Writes one generation with these labels and annotations (and `name: web-0`).
    @discardableResult
    func publish(labels: [String: String], annotations: [String: String] = [:], extra: [String: String] = [:]) throws
        -> String?
    {
        var files = payload(extra)
        files["labels"] = mapFile(labels)
        files["annotations"] = mapFile(annotations)
        files["name"] = Array("web-0".utf8)
        return try writer.write(files)
    }

    /// Waits until the store holds a revision whose labels satisfy `condition`.
    @discardableResult
    func waitForSnapshot(
        _ what: String, timeout: Duration = .seconds(30), _ condition: (PublishedSnapshot) -> Bool
    ) async throws -> PublishedSnapshot {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var seen: UInt64 = 0
        while true {
            if let current = store.current, condition(current) { return current }
            seen = store.current?.revision ?? 0
            if clock.now > deadline { throw DeadlineExceeded(what: what) }
            _ = await store.next(after: seen, timeout: .milliseconds(200))
        }
    }

    /// Waits until the JSON file holds a document satisfying `condition`.
    @discardableResult
    func waitForFile(
        _ what: String, timeout: Duration = .seconds(30), _ condition: (PublishedDocument) -> Bool
    ) async throws -> PublishedDocument {
        var found: PublishedDocument?
        try await waitUntil("the file to hold \(what)", timeout: timeout) {
            guard let document = PublishedDocument.current(output), condition(document) else { return false }
            found = document
            return true
        }
        return found!
    }

    /// The number of reads the agent has started so far (any trigger).
    var readsStarted: Double {
        ["start", "data_swapped", "files_changed", "overflow", "resync", "volume_restored", "once"].reduce(0) {
            $0 + (metrics.value(.reads, labels: ["trigger": $1]) ?? 0)
        }
    }

    var outputErrors: Double { metrics.value(.outputErrors, labels: ["output": "json"]) ?? 0 }

    var outputWrites: Double { metrics.value(.outputWrites, labels: ["output": "json"]) ?? 0 }
}
