import Glibc
import PodmetaTestSupport
import Testing

@testable import PodmetaIO

struct PollingWatcherTests {
    static let v1 = payload(["labels": "version=\"1\"", "name": "web-0"])
    static let v2 = payload(["labels": "version=\"2\"", "name": "web-0"])
    static let interval = Duration.milliseconds(5)

    /// Waits for `scans` more scans: a change the watcher ignores has then certainly been
    /// looked at (scans are counted, not timed).
    static func waitForScans(_ watcher: PollingWatcher, _ scans: UInt64 = 3) async throws {
        let start = watcher.statistics.eventsRead
        try await waitUntil("\(scans) scans") { watcher.statistics.eventsRead >= start + scans }
    }

    /// Runs `watcher` in a task of this test's group, as an owner does, while `body` runs.
    static func running(_ watcher: PollingWatcher, _ body: () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await watcher.run() }
            defer { group.cancelAll() }
            try await body()
            watcher.stop()
        }
    }

    /// No task of its own: nothing is scanned before the owner runs it.
    @Test func nothingIsScannedUntilTheOwnerRunsIt() async throws {
        let directory = TemporaryDirectory("podmeta-polling")
        let watcher = PollingWatcher(root: directory.path, interval: Self.interval, resync: nil)
        try await Task.sleep(for: .milliseconds(200))
        #expect(watcher.statistics.eventsRead == 0, "scans ran without run()")
        try await Self.running(watcher) { try await Self.waitForScans(watcher) }
    }

    @Test func stopEndsRunWithoutCancellation() async throws {
        let directory = TemporaryDirectory("podmeta-polling")
        let watcher = PollingWatcher(root: directory.path, interval: Self.interval, resync: nil)
        let ran = Task { await watcher.run() }
        try await Self.waitForScans(watcher)
        watcher.stop()
        await ran.value
    }

    @Test func aSwapGivesDataSwapped() async throws {
        let directory = TemporaryDirectory("podmeta-polling")
        let writer = KubeletVolumeWriter(root: directory.path)
        try writer.write(Self.v1)
        let watcher = PollingWatcher(
            root: directory.path, paths: ["labels", "name"], interval: Self.interval, resync: nil)
        defer { watcher.stop() }
        let log = TriggerLog.collecting(watcher)
        try writer.write(Self.v2)
        try await log.wait(for: .dataSwapped)
        #expect(watcher.statistics.commitsObserved == 1)
        #expect(log.triggers.allSatisfy { $0 == .dataSwapped })
    }

    @Test func addedAndDroppedNamesAndNestedItemsGiveDataSwapped() async throws {
        let directory = TemporaryDirectory("podmeta-polling")
        let writer = KubeletVolumeWriter(root: directory.path)
        try writer.write(payload(["sub/x": "1", "name": "n", "uid": "u"]))
        let watcher = PollingWatcher(root: directory.path, interval: Self.interval, resync: nil)
        defer { watcher.stop() }
        let log = TriggerLog.collecting(watcher)
        try writer.write(payload(["sub/x": "2", "name": "n", "extra": "e"]))
        try await log.wait(for: .dataSwapped)
        try await Self.waitForScans(watcher)
        #expect(log.triggers == [.dataSwapped])
    }

    @Test func unchangedPayloadsAndOwnershipNoiseGiveNothing() async throws {
        let directory = TemporaryDirectory("podmeta-polling")
        let writer = KubeletVolumeWriter(root: directory.path)
        try writer.write(Self.v1)
        let watcher = PollingWatcher(
            root: directory.path, paths: ["labels", "name"], interval: Self.interval, resync: nil)
        defer { watcher.stop() }
        let log = TriggerLog.collecting(watcher)
        #expect(try writer.write(Self.v1) == nil)
        try writer.changeOwnership()
        try await Self.waitForScans(watcher)
        #expect(log.triggers == [])
    }

    @Test func plainDirectoryWritesGiveFilesChanged() async throws {
        let directory = TemporaryDirectory("podmeta-polling")
        for name in ["labels", "name"] { Files.write(directory.sub(name), "old") }
        let watcher = PollingWatcher(
            root: directory.path, paths: ["labels", "name"], interval: Self.interval, resync: nil)
        defer { watcher.stop() }
        let log = TriggerLog.collecting(watcher)
        try AtomicFileWriter(path: directory.sub("labels")).write(Array("new".utf8))
        Files.write(directory.sub("other"), "not mapped")
        try await log.wait(for: .filesChanged(["labels"]))
        unlink(directory.sub("name"))
        try await log.wait(for: .filesChanged(["name"]))
        #expect(log.triggers == [.filesChanged(["labels"]), .filesChanged(["name"])])
    }

    @Test func aMissingRootIsReportedAndAwaited() async throws {
        let directory = TemporaryDirectory("podmeta-polling")
        let root = directory.sub("a/vol")
        let watcher = PollingWatcher(root: root, interval: Self.interval, resync: nil)
        defer { watcher.stop() }
        let log = TriggerLog.collecting(watcher)
        try await log.wait(for: .volumeMissing)
        Files.mkdir(root)
        try await log.wait(for: .volumeRestored)
        Files.removeTree(root)
        try await log.wait(for: "volume_missing again") { $0.filter { $0 == .volumeMissing }.count == 2 }
        #expect(log.triggers == [.volumeMissing, .volumeRestored, .volumeMissing])
    }

    @Test func stopEndsTheStream() async throws {
        let directory = TemporaryDirectory("podmeta-polling")
        let watcher = PollingWatcher(root: directory.path, interval: .seconds(3600), resync: nil)
        let log = TriggerLog.collecting(watcher)
        watcher.stop()
        try await waitUntil("the stream to finish") { log.finished }
        watcher.stop()
    }

    @Test func withoutAVolumeOnlyResyncs() async throws {
        let watcher = PollingWatcher(root: nil, interval: nil, resync: .milliseconds(10))
        defer { watcher.stop() }
        let log = TriggerLog.collecting(watcher)
        let triggers = try await log.wait(for: "two resyncs") { $0.count >= 2 }
        #expect(triggers.allSatisfy { $0 == .resync })
    }

    @Test func fingerprintsFollowTheGenerationNotTheSymlinks() throws {
        let directory = TemporaryDirectory("podmeta-polling")
        let writer = KubeletVolumeWriter(root: directory.path)
        let generation = try #require(try writer.write(Self.v1))
        let scan = VolumeFingerprint.scan(root: directory.path, mappedNames: nil)
        guard case .present(let target, let entries) = scan.state else {
            Issue.record("missing")
            return
        }
        #expect(target == generation)
        #expect(Set(entries.keys) == ["labels", "name"])
        #expect(VolumeFingerprint.scan(root: directory.path, mappedNames: nil) == scan)
    }
}
