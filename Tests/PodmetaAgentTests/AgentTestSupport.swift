import Glibc
import Logging
import PodmetaCore
import PodmetaState
import PodmetaSystem
import PodmetaTestSupport
import Synchronization
import Testing

@testable import PodmetaAgent
@testable import PodmetaIO

/// The parent of every suite in this target. Serialized, because some of them use the real
/// inotify watcher (libinotifytools: one per process) and all of them start processes,
/// mount file systems or keep two CPUs busy.
///
/// Serializing inside this target is not enough: PodmetaIOTests' inotify suite runs in the
/// same test process, concurrently with ours. So everything here that creates an
/// `InotifyWatcher` or spawns a process runs its body in a child process of its own (an exit
/// test, see ``inChild(_:)``), which owns libinotifytools and its children.
@Suite(.serialized)
struct AgentIntegrationTests {}

// MARK: File-system helpers

extension Files {
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
        guard symlink(fresh, root + "/..data_tmp") == 0, Glibc.rename(root + "/..data_tmp", root + "/..data") == 0
        else {
            throw ErrnoValue.current
        }
        try Posix.removeTree(root + "/" + old)
    }
}

/// A `labels` or `annotations` file as the kubelet writes it.
func mapFile(_ map: [String: String]) -> [UInt8] {
    KubeletMapFormat.format(map)
}

// MARK: Waiting

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
    let logs: Recorder<CapturedLogEntry>
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
        let (logger, logs) = CapturingLogHandler.logger(label: "agent-test")
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
