import Glibc
import PodmetaTestSupport
import Testing

@testable import PodmetaIO

/// The real InotifyWatcher driven by the kubelet simulator. Serialized: libinotifytools
/// allows one watcher per process.
@Suite(.serialized)
struct InotifyWatcherTests {
    static let v1 = payload(["labels": "app=\"web\"\nversion=\"1\"", "name": "web-0", "uid": "u-1"])
    static let v2 = payload(["labels": "app=\"web\"\nversion=\"2\"", "name": "web-0", "uid": "u-1"])

    /// A kubelet volume holding `initial`, watched, with its triggers collected.
    struct Fixture {
        let directory: TemporaryDirectory
        let root: String
        let writer: KubeletVolumeWriter
        let watcher: InotifyWatcher
        let log: TriggerLog

        init(_ initial: [String: [UInt8]]?, paths: [String] = [], resync: Duration? = nil) throws {
            directory = TemporaryDirectory("podmeta-inotify")
            root = directory.sub("vol")
            Files.mkdir(root)
            writer = KubeletVolumeWriter(root: root)
            if let initial { try writer.write(initial) }
            watcher = try InotifyWatcher(root: root, paths: paths, resync: resync)
            log = TriggerLog.collecting(watcher)
        }

        /// Moves the root away: a `MOVE_SELF` that always gives `volumeMissing`, used as a
        /// barrier. inotify delivers events in order, so every trigger caused by earlier
        /// operations precedes it. Returns the triggers before the barrier.
        func barrier() async throws -> [WatchTrigger] {
            let before = log.triggers.count
            Files.rename(root, root + ".away")
            let all = try await log.wait(for: .volumeMissing, after: before)
            let index = all.indices.last { all[$0] == .volumeMissing }!
            return Array(all[..<index])
        }

        /// Undoes ``barrier()`` and waits for `volumeRestored`.
        func restore() async throws {
            let before = log.triggers.count
            Files.rename(root + ".away", root)
            try await log.wait(for: .volumeRestored, after: before)
        }
    }

    @Test func aSwapGivesDataSwapped() async throws {
        let fixture = try Fixture(Self.v1)
        defer { fixture.watcher.stop() }
        let generation = try #require(try fixture.writer.write(Self.v2))
        try await fixture.log.wait(for: .dataSwapped)
        #expect(Files.link(fixture.root + "/..data") == generation)
        #expect(fixture.watcher.statistics.commitsObserved == 1)
    }

    @Test func addedAndDroppedNamesGiveOnlyDataSwapped() async throws {
        let fixture = try Fixture(Self.v1, paths: ["labels", "name", "uid", "extra"])
        defer { fixture.watcher.stop() }
        try fixture.writer.write(payload(["labels": "x", "name": "web-0", "extra": "new"]))
        let before = try await fixture.barrier()
        #expect(!before.isEmpty)
        #expect(before.allSatisfy { $0 == .dataSwapped }, "\(before)")
        #expect(Files.link(fixture.root + ".away/extra") == "..data/extra")
        #expect(!Files.exists(fixture.root + ".away/uid"))
    }

    @Test func nestedItemsAreSeenThroughTheSwap() async throws {
        let fixture = try Fixture(payload(["sub/x": "1", "name": "n"]), paths: ["sub/x", "name"])
        defer { fixture.watcher.stop() }
        try fixture.writer.write(payload(["sub/x": "2", "name": "n"]))
        let before = try await fixture.barrier()
        #expect(before == [.dataSwapped])
        #expect(Files.readText(fixture.root + ".away/sub/x") == "2")
    }

    @Test func anUnchangedPayloadGivesNothing() async throws {
        let fixture = try Fixture(Self.v1)
        defer { fixture.watcher.stop() }
        #expect(try fixture.writer.write(Self.v1) == nil)
        #expect(try await fixture.barrier() == [])
    }

    @Test func ownershipNoiseGivesNothingBeyondTheSwap() async throws {
        let fixture = try Fixture(Self.v1)
        defer { fixture.watcher.stop() }
        // The fsGroup pass alone: ATTRIB on the root, the timestamp directory and lchown
        // of every symlink.
        try fixture.writer.changeOwnership()
        #expect(try await fixture.barrier() == [])
        try await fixture.restore()

        var noisy = fixture.writer
        noisy.simulatesOwnershipChange = true
        let count = fixture.log.triggers.count
        try noisy.write(Self.v2)
        let all = try await fixture.barrier()
        #expect(Array(all.dropFirst(count)) == [.dataSwapped])
    }

    @Test func aBurstOfSwapsEndsWithATriggerAfterTheLastOne() async throws {
        let fixture = try Fixture(Self.v1)
        defer { fixture.watcher.stop() }
        var last: String?
        for version in 1...100 {
            last = try fixture.writer.write(payload(["labels": "version=\"\(version)\"", "name": "web-0"]))
        }
        // Every commit event was seen and a trigger was emitted after the last one.
        try await waitUntil("a trigger after commit 100") {
            let stats = fixture.watcher.statistics
            return stats.commitsObserved == 100 && stats.commitsReported == 100
        }
        let stats = fixture.watcher.statistics
        let delivered = Int(stats.triggersEmitted - stats.triggersDropped)
        let triggers = try await fixture.log.wait(for: "every emitted trigger") { $0.count == delivered }
        #expect(triggers.last == .dataSwapped)
        #expect(triggers.allSatisfy { $0 == .dataSwapped })
        #expect(Files.link(fixture.root + "/..data") == last)
    }

    @Test func plainDirectoryWritesGiveFilesChanged() async throws {
        let directory = TemporaryDirectory("podmeta-inotify")
        let root = directory.sub("plain")
        Files.mkdir(root)
        for name in ["labels", "name", "annotations"] { Files.write(root + "/" + name, "old") }
        let watcher = try InotifyWatcher(root: root, paths: ["labels", "name", "annotations"], resync: nil)
        defer { watcher.stop() }
        let log = TriggerLog.collecting(watcher)

        try AtomicFileWriter(path: root + "/labels").write(Array("new".utf8))  // MOVED_TO
        Files.write(root + "/name", "new")  // CLOSE_WRITE
        unlink(root + "/annotations")  // DELETE
        Files.write(root + "/other", "not mapped")

        Files.rename(root, root + ".away")
        let all = try await log.wait(for: .volumeMissing)
        let before = all.prefix { $0 != .volumeMissing }
        var names: Set<String> = []
        for trigger in before {
            guard case .filesChanged(let changed) = trigger else {
                Issue.record("unexpected \(trigger)")
                continue
            }
            names.formUnion(changed)
        }
        #expect(names == ["labels", "name", "annotations"])
    }

    @Test func aDeletedRootIsMissingThenRestored() async throws {
        let fixture = try Fixture(Self.v1)
        defer { fixture.watcher.stop() }
        Files.removeTree(fixture.root)
        try await fixture.log.wait(for: "volume_missing last") { $0.last == .volumeMissing }

        let count = fixture.log.triggers.count
        Files.mkdir(fixture.root)
        try await fixture.log.wait(for: .volumeRestored, after: count)
        #expect(fixture.watcher.statistics.rearms >= 2)

        let afterRestore = fixture.log.triggers.count
        try fixture.writer.write(Self.v2)
        try await fixture.log.wait(for: .dataSwapped, after: afterRestore)
    }

    @Test func aRootMissingAtStartIsReportedAndAwaited() async throws {
        let directory = TemporaryDirectory("podmeta-inotify")
        let root = directory.sub("a/b/vol")
        let watcher = try InotifyWatcher(root: root, resync: nil)
        defer { watcher.stop() }
        let log = TriggerLog.collecting(watcher)
        try await log.wait(for: .volumeMissing)

        Files.mkdir(directory.sub("a/b"))  // the watch descends, nothing is reported
        Files.mkdir(root)
        let triggers = try await log.wait(for: .volumeRestored)
        #expect(triggers == [.volumeMissing, .volumeRestored])

        try KubeletVolumeWriter(root: root).write(Self.v1)
        try await log.wait(for: .dataSwapped)
    }

    @Test func stopEndsTheStreamAndIsIdempotent() async throws {
        let fixture = try Fixture(Self.v1)
        fixture.watcher.stop()
        try await waitUntil("the stream to finish") { fixture.log.finished }
        fixture.watcher.stop()
        // The thread gave the library back: a new watcher can start.
        let next = try InotifyWatcher(root: fixture.root, resync: nil)
        next.stop()
    }

    @Test func onlyOneWatcherPerProcess() throws {
        let directory = TemporaryDirectory("podmeta-inotify")
        let first = try InotifyWatcher(root: directory.path, resync: nil)
        #expect(throws: WatcherError.alreadyRunning) {
            _ = try InotifyWatcher(root: directory.path, resync: nil)
        }
        first.stop()
        let second = try InotifyWatcher(root: directory.path, resync: nil)
        second.stop()
    }

    @Test func cancellingTheConsumerStopsTheThread() async throws {
        let directory = TemporaryDirectory("podmeta-inotify")
        let watcher = try InotifyWatcher(root: directory.path, resync: nil)
        let stream = watcher.triggers()
        let consumer = Task { for await _ in stream {} }
        consumer.cancel()
        await consumer.value
        // onTermination rang the eventfd; the thread exits and releases the library.
        try await waitUntil("the library to be released") {
            guard let next = try? InotifyWatcher(root: directory.path, resync: nil) else { return false }
            next.stop()
            return true
        }
        watcher.stop()
    }

    @Test func resyncFiresWhenIdle() async throws {
        let fixture = try Fixture(Self.v1, resync: .milliseconds(20))
        defer { fixture.watcher.stop() }
        let triggers = try await fixture.log.wait(for: "two resyncs") { $0.filter { $0 == .resync }.count >= 2 }
        #expect(triggers.allSatisfy { $0 == .resync })
    }

    @Test func aRootThatIsAFileIsRejected() throws {
        let directory = TemporaryDirectory("podmeta-inotify")
        let file = directory.sub("file")
        Files.write(file, "x")
        #expect(throws: WatcherError.notADirectory(path: file)) {
            _ = try InotifyWatcher(root: file, resync: nil)
        }
        // The failed setup gave the library back.
        let watcher = try InotifyWatcher(root: directory.path, resync: nil)
        watcher.stop()
    }

    @Test func theInotifyDescriptorIsCloseOnExec() throws {
        let directory = TemporaryDirectory("podmeta-inotify")
        let before = InotifyDescriptorLocator.inotifyDescriptors()
        let watcher = try InotifyWatcher(root: directory.path, resync: nil)
        defer { watcher.stop() }
        let added = InotifyDescriptorLocator.inotifyDescriptors().subtracting(before)
        #expect(added.count == 1)
        for fd in added {
            #expect(fcntl(fd, F_GETFD) & FD_CLOEXEC != 0)
        }
    }
}
