import Glibc
import PodmetaCore
import PodmetaSystem
import PodmetaTestSupport
import Synchronization
import Testing

@testable import PodmetaAgent
@testable import PodmetaIO

extension AgentIntegrationTests {
    /// The watch → read → publish → write loop on a kubelet-style volume, with either
    /// watcher. The inotify runs happen in a child process (see ``AgentIntegrationTests``).
    @Suite struct PublishingTests {
        @Test(arguments: [AgentConfiguration.WatcherBackend.polling, .inotify])
        func thousandQuickChangesAreNeverTornAndTheLastIsPublished(_ backend: AgentConfiguration.WatcherBackend)
            async throws
        {
            if backend == .polling { return try await PublishingScenarios.thousandQuickChanges(.polling) }
            await #expect(processExitsWith: .success) {
                await inChild { try await PublishingScenarios.thousandQuickChanges(.inotify) }
            }
        }

        @Test(arguments: [AgentConfiguration.WatcherBackend.polling, .inotify])
        func swapsThatChangeNothingMappedPublishNothing(_ backend: AgentConfiguration.WatcherBackend) async throws {
            if backend == .polling { return try await PublishingScenarios.noOpSwaps(.polling) }
            await #expect(processExitsWith: .success) {
                await inChild { try await PublishingScenarios.noOpSwaps(.inotify) }
            }
        }

        @Test(arguments: [AgentConfiguration.WatcherBackend.polling, .inotify])
        func addedAndDroppedNamesNestedItemsAndOwnershipNoise(_ backend: AgentConfiguration.WatcherBackend) async throws
        {
            if backend == .polling { return try await PublishingScenarios.layoutChanges(.polling) }
            await #expect(processExitsWith: .success) {
                await inChild { try await PublishingScenarios.layoutChanges(.inotify) }
            }
        }
    }
}

/// What one reader thread saw.
struct ReaderReport: Sendable {
    var reads = 0
    var failures: [String] = []
    var lastGeneration = -1

    mutating func fail(_ text: String) {
        if failures.count < 5 { failures.append(text) }
    }

    /// Reads `path` until `stop` is set, and once more after that (a read that started
    /// before the final publish would otherwise be the last one), checking every read: it
    /// parses as one complete JSON document, its labels and annotations come from the same
    /// generation, and neither the revision nor the generation ever goes back.
    static func readContinuously(_ path: String, until stop: Flag) -> ReaderReport {
        var report = ReaderReport()
        var lastRevision: Int64 = 0
        var finalRead = false
        while !finalRead {
            finalRead = stop.isSet
            report.reads += 1
            let bytes: [UInt8]
            do {
                bytes = try Posix.readFile(path)
            } catch {
                report.fail("read \(report.reads): \(error)")
                continue
            }
            let document: PublishedDocument
            do {
                document = try PublishedDocument(bytes)
            } catch {
                report.fail("read \(report.reads) does not parse (\(error)): \(String(decoding: bytes, as: UTF8.self))")
                continue
            }
            let labelGeneration = document.labels["generation"]
            let annotationGeneration = document.annotations["example.com/generation"]
            guard let text = labelGeneration, let generation = Int(text), annotationGeneration == text else {
                report.fail(
                    "read \(report.reads) mixes generations: labels \(labelGeneration ?? "-"), annotations \(annotationGeneration ?? "-")"
                )
                continue
            }
            if document.revision < lastRevision {
                report.fail("read \(report.reads): revision went back from \(lastRevision) to \(document.revision)")
            }
            if generation < report.lastGeneration {
                report.fail("read \(report.reads): generation went back from \(report.lastGeneration) to \(generation)")
            }
            lastRevision = document.revision
            report.lastGeneration = generation
        }
        return report
    }
}

enum PublishingScenarios {
    static func labels(_ generation: Int) -> [String: String] {
        ["app": "web", "generation": "\(generation)"]
    }

    static func annotations(_ generation: Int) -> [String: String] {
        [
            "example.com/generation": "\(generation)",
            "example.com/note": "multi\nline \"quoted\" \(generation)",
            "kubernetes.io/config.seen": "2026-11-22T01:02:03.000000000Z",
        ]
    }

    static func thousandQuickChanges(_ backend: AgentConfiguration.WatcherBackend) async throws {
        let fixture = try AgentFixture(
            backend: backend, initial: nil, items: AgentFixture.defaultItems)
        Files.mkdir(fixture.root)
        try fixture.publish(labels: labels(0), annotations: annotations(0))
        fixture.start()
        try await fixture.waitForFile("generation 0") { $0.labels["generation"] == "0" }

        let stop = Flag()
        let output = fixture.output
        let readers = (0..<2).map { _ in
            Task { try await onThread { ReaderReport.readContinuously(output, until: stop) } }
        }
        let changes = 1000
        for generation in 1...changes {
            try fixture.publish(labels: labels(generation), annotations: annotations(generation))
        }
        let final = try await fixture.waitForFile("generation \(changes)") { $0.labels["generation"] == "\(changes)" }
        stop.set()
        var reads = 0
        for reader in readers {
            let report = try await reader.value
            reads += report.reads
            #expect(report.failures.isEmpty, "a reader saw: \(report.failures.joined(separator: " | "))")
            #expect(report.lastGeneration == changes, "a reader's last read was generation \(report.lastGeneration)")
        }
        #expect(reads > 0)
        #expect(final.annotations["example.com/generation"] == "\(changes)")
        #expect(final.annotations["example.com/note"] == "multi\nline \"quoted\" \(changes)")
        // One revision per published content, at most one per change; the store and the file agree.
        #expect(final.revision >= 2 && final.revision <= Int64(changes + 1), "revision \(final.revision)")
        #expect(fixture.store.current?.revision == UInt64(final.revision))
        #expect(fixture.outputErrors == 0)
        #expect(fixture.health.status.ready && fixture.health.status.degradedReason == nil)
        try await fixture.stop()
    }

    /// Waits until the agent has *started* `count` more reads than `before`. Reads run one
    /// at a time, so the start of read n+1 means read n has finished.
    static func waitForReads(_ fixture: AgentFixture, after before: Double, count: Double = 1, _ what: String)
        async throws
    {
        try await waitUntil("the agent to read after \(what)") { fixture.readsStarted >= before + count }
    }

    static func noOpSwaps(_ backend: AgentConfiguration.WatcherBackend) async throws {
        // `token` lives in the volume but is not mapped (a projected token rotating).
        let fixture = try AgentFixture(backend: backend, initial: nil)
        Files.mkdir(fixture.root)
        try fixture.publish(labels: labels(1), annotations: annotations(1), extra: ["token": "t-0"])
        fixture.start()
        try await fixture.waitForFile("generation 1") { $0.labels["generation"] == "1" }
        let revision = try #require(fixture.store.current?.revision)
        let inode = try #require(Files.inode(fixture.output))
        let bytes = Files.read(fixture.output)
        // The file is visible at the rename; the write is counted after the directory
        // fsync that follows it. Take the baseline once the first write is counted.
        try await waitUntil("the first write to be counted") { fixture.outputWrites >= 1 }
        let writes = fixture.outputWrites

        var reads = fixture.readsStarted
        try Files.identicalSwap(root: fixture.root)
        try await waitForReads(fixture, after: reads, "an identical swap")
        reads = fixture.readsStarted
        try fixture.publish(labels: labels(1), annotations: annotations(1), extra: ["token": "t-1"])
        try await waitForReads(fixture, after: reads, "a rotation of an unmapped file")
        // One more swap: once its read has started, the rotation's read has finished.
        reads = fixture.readsStarted
        try Files.identicalSwap(root: fixture.root)
        try await waitForReads(fixture, after: reads, "a second identical swap")

        #expect(fixture.store.current?.revision == revision, "a swap that changes nothing published a revision")
        #expect(Files.inode(fixture.output) == inode, "the file was replaced")
        #expect(Files.read(fixture.output) == bytes)
        #expect(fixture.outputWrites == writes, "an output was written")

        // Still live: the next real change is the very next revision.
        try fixture.publish(labels: labels(2), annotations: annotations(2), extra: ["token": "t-1"])
        let next = try await fixture.waitForFile("generation 2") { $0.labels["generation"] == "2" }
        #expect(next.revision == Int64(revision + 1))
        try await fixture.stop()
    }

    static func layoutChanges(_ backend: AgentConfiguration.WatcherBackend) async throws {
        let items = AgentFixture.defaultItems + ["meta/uid=metadata.uid", "ns=metadata.namespace"]
        let fixture = try AgentFixture(backend: backend, initial: nil, items: items, ownershipNoise: true)
        Files.mkdir(fixture.root)
        let base = ["labels": mapFile(labels(1)), "annotations": mapFile(annotations(1)), "name": Array("web-0".utf8)]
        try fixture.writer.write(base.merging(payload(["meta/uid": "u-1"])) { $1 })
        fixture.start()
        var document = try await fixture.waitForFile("the nested uid") { $0.pod["uid"] == "u-1" }
        #expect(document.pod["namespace"] == nil)

        // A top-level name added (its symlink appears just after the commit).
        try fixture.writer.write(
            base.merging(payload(["meta/uid": "u-1", "ns": "shop", "labels": "app=\"web\"\ngeneration=\"2\""])) { $1 })
        document = try await fixture.waitForFile("the added namespace") { $0.pod["namespace"] == "shop" }
        #expect(document.labels["generation"] == "2" && document.pod["uid"] == "u-1")

        // A top-level name dropped (its symlink dangles for a moment) and a nested item changed.
        try fixture.writer.write(base.merging(payload(["meta/uid": "u-2"])) { $1 })
        document = try await fixture.waitForFile("the dropped namespace") {
            $0.pod["namespace"] == nil && $0.pod["uid"] == "u-2"
        }
        #expect(document.labels["generation"] == "1")

        // The nested directory dropped altogether, a name added again.
        try fixture.writer.write(base.merging(payload(["ns": "shop2"])) { $1 })
        document = try await fixture.waitForFile("the dropped nested directory") {
            $0.pod["uid"] == nil && $0.pod["namespace"] == "shop2"
        }
        #expect(document.revision == 4, "one revision per change, nothing for the ownership passes")
        #expect(fixture.outputErrors == 0)
        try await fixture.stop()
    }
}
