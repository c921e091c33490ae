import Glibc
import PodmetaCore
import PodmetaTestSupport
import Testing

@testable import PodmetaAgent
@testable import PodmetaIO

extension AgentIntegrationTests {
    /// The volume goes away and comes back: the last good document stays, health says why,
    /// and the agent re-arms and publishes what comes back.
    @Suite struct VolumeLifecycleTests {
        @Test(arguments: [AgentConfiguration.WatcherBackend.polling, .inotify])
        func deletedThenRecreated(_ backend: AgentConfiguration.WatcherBackend) async throws {
            if backend == .polling { return try await VolumeScenarios.deletedThenRecreated(.polling) }
            await #expect(processExitsWith: .success) {
                await inChild { try await VolumeScenarios.deletedThenRecreated(.inotify) }
            }
        }

        /// How the kubelet tears a downwardAPI volume down: it unmounts the tmpfs, which
        /// leaves the root an empty directory, without a `..data`.
        @Test(
            .enabled(if: MountFixture.available, "needs root and mount(2) (tmpfs)"),
            arguments: [AgentConfiguration.WatcherBackend.polling, .inotify])
        func unmountedThenMountedAgain(_ backend: AgentConfiguration.WatcherBackend) async throws {
            if backend == .polling { return try await VolumeScenarios.unmountedThenMountedAgain(.polling) }
            await #expect(processExitsWith: .success) {
                await inChild { try await VolumeScenarios.unmountedThenMountedAgain(.inotify) }
            }
        }

        @Test(arguments: [AgentConfiguration.WatcherBackend.polling, .inotify])
        func missingAtStartIsNotReadyUntilItAppears(_ backend: AgentConfiguration.WatcherBackend) async throws {
            if backend == .polling { return try await VolumeScenarios.missingAtStart(.polling) }
            await #expect(processExitsWith: .success) {
                await inChild { try await VolumeScenarios.missingAtStart(.inotify) }
            }
        }
    }
}

enum VolumeScenarios {
    static let resync: Duration = .milliseconds(100)

    /// Waits until two reads have started after this call: the first of them then ran
    /// entirely after whatever the caller did just before.
    static func readAfter(_ fixture: AgentFixture, _ what: String) async throws {
        let reads = fixture.readsStarted
        try await PublishingScenarios.waitForReads(fixture, after: reads, count: 2, what)
    }

    static func deletedThenRecreated(_ backend: AgentConfiguration.WatcherBackend) async throws {
        let fixture = try AgentFixture(backend: backend, initial: nil, resync: resync)
        Files.mkdir(fixture.root)
        try fixture.publish(labels: ["version": "1"], annotations: ["a": "1"])
        fixture.start()
        try await fixture.waitForFile("version 1") { $0.labels["version"] == "1" }
        let good = try #require(Files.read(fixture.output))
        let revision = try #require(fixture.store.current?.revision)

        Files.removeTree(fixture.root)
        try await readAfter(fixture, "the volume was deleted")
        try await waitUntil("health to report the missing volume") { fixture.health.status.degradedReason != nil }
        #expect(Files.read(fixture.output) == good, "the last good document was not kept")
        #expect(fixture.store.current?.revision == revision)
        #expect(fixture.health.status.ready)

        // The kubelet creates the directory before its first write: an empty root is not
        // the pod's metadata.
        Files.mkdir(fixture.root)
        try await readAfter(fixture, "the volume root was recreated, still empty")
        #expect(Files.read(fixture.output) == good, "an empty volume root replaced the last good document")
        #expect(fixture.store.current?.revision == revision)

        try fixture.publish(labels: ["version": "2"], annotations: ["a": "2"])
        let document = try await fixture.waitForFile("version 2") { $0.labels["version"] == "2" }
        #expect(document.revision == Int64(revision + 1))
        #expect(document.annotations["a"] == "2")
        try await waitUntil("health to recover") { fixture.health.status.degradedReason == nil }
        #expect(fixture.logs.contains(.warning, "volume missing") || fixture.logs.contains(.error, "read failed"))
        try await fixture.stop()
    }

    static func unmountedThenMountedAgain(_ backend: AgentConfiguration.WatcherBackend) async throws {
        let fixture = try AgentFixture(backend: backend, initial: nil, resync: resync)
        Files.mkdir(fixture.root)
        try MountFixture.mountTmpfs(fixture.root)
        defer { MountFixture.unmount(fixture.root) }
        try fixture.publish(labels: ["version": "1"], annotations: ["a": "1"])
        fixture.start()
        try await fixture.waitForFile("version 1") { $0.labels["version"] == "1" }
        let good = try #require(Files.read(fixture.output))
        let revision = try #require(fixture.store.current?.revision)

        MountFixture.unmount(fixture.root)
        try await readAfter(fixture, "the volume was unmounted")
        #expect(Files.read(fixture.output) == good, "the unmounted (empty) volume replaced the last good document")
        #expect(fixture.store.current?.revision == revision)
        #expect(fixture.health.status.degradedReason != nil, "health does not say the volume is gone")

        try MountFixture.mountTmpfs(fixture.root)
        try fixture.publish(labels: ["version": "2"], annotations: ["a": "2"])
        let document = try await fixture.waitForFile("version 2") { $0.labels["version"] == "2" }
        #expect(document.revision == Int64(revision + 1))
        try await waitUntil("health to recover") { fixture.health.status.degradedReason == nil }
        try await fixture.stop()
    }

    static func missingAtStart(_ backend: AgentConfiguration.WatcherBackend) async throws {
        let fixture = try AgentFixture(backend: backend, initial: nil, resync: resync)
        fixture.start()
        try await waitUntil("health to report the missing volume") { fixture.health.status.degradedReason != nil }
        try await readAfter(fixture, "the agent started without its volume")
        #expect(!fixture.health.status.ready)
        #expect(fixture.store.current == nil)
        #expect(!Files.exists(fixture.output))

        Files.mkdir(fixture.root)
        try fixture.publish(labels: ["version": "1"])
        let document = try await fixture.waitForFile("version 1") { $0.labels["version"] == "1" }
        #expect(document.revision == 1, "an empty root was published before the kubelet's first write")
        // Readiness follows the write (the file first, then /readyz).
        try await waitUntil("the agent to be ready") { fixture.health.status.ready }
        try await waitUntil("health to recover") { fixture.health.status.degradedReason == nil }
        try await fixture.stop()
    }
}
