import Glibc
import PodmetaCore
import PodmetaSystem
import PodmetaTestSupport
import Testing

@testable import PodmetaAgent
@testable import PodmetaIO

extension AgentIntegrationTests {
    /// The output cannot be written: the previous file stays intact, the failure is logged,
    /// counted and shown in health, and once the condition clears the next resync (or
    /// change) writes the current revision. Polling only: the point is the output side.
    @Suite(.enabled(if: MountFixture.available, "needs root and mount(2) (tmpfs): file modes do not stop root"))
    struct OutputFailureTests {
        enum Condition: String, CaseIterable, Sendable {
            case readOnlyDirectory
            case fullDisk
        }

        @Test(arguments: Condition.allCases)
        func failedWriteKeepsThePreviousFileAndIsRetried(_ condition: Condition) async throws {
            let scratch = TemporaryDirectory("podmeta-agent-out")
            let outputDirectory = scratch.sub("out")
            Files.mkdir(outputDirectory)
            try MountFixture.mountTmpfs(outputDirectory, size: "64k")
            defer { MountFixture.unmount(outputDirectory) }

            let fixture = try AgentFixture(
                backend: .polling, initial: nil, outputDirectory: outputDirectory, resync: .milliseconds(100))
            Files.mkdir(fixture.root)
            try fixture.publish(labels: ["version": "1"])
            fixture.start()
            try await fixture.waitForFile("version 1") { $0.labels["version"] == "1" }
            let good = try #require(Files.read(fixture.output))
            let filler = outputDirectory + "/filler"

            switch condition {
            case .readOnlyDirectory:
                try MountFixture.remount(outputDirectory, readOnly: true)
            case .fullDisk:
                fill(filler)
            }

            try fixture.publish(labels: ["version": "2"])
            try await fixture.waitForSnapshot("version 2 to be published") { $0.snapshot.labels["version"] == "2" }
            try await waitUntil("the failed write to be counted") { fixture.outputErrors >= 1 }
            // Retried on every resync while the condition lasts, and failing each time.
            let errors = fixture.outputErrors
            try await waitUntil("the write to be retried on resync") { fixture.outputErrors > errors }
            #expect(Files.read(fixture.output) == good, "the previous file is not intact")
            #expect(
                fixture.health.status.degradedReason?.contains(fixture.output) == true,
                "health says: \(fixture.health.status.degradedReason ?? "nothing")")
            #expect(fixture.logs.all.contains { $0.level == .error && $0.metadata["path"] == fixture.output })
            #expect(fixture.metrics.render().contains("podmeta_output_errors_total{output=\"json\"}"))
            // No temporary file is left behind in a full directory.
            let leftovers = ((try? Posix.listDirectory(outputDirectory)) ?? []).filter { $0.contains(".tmp-") }
            #expect(leftovers.isEmpty, "left behind: \(leftovers)")

            switch condition {
            case .readOnlyDirectory:
                try MountFixture.remount(outputDirectory, readOnly: false)
            case .fullDisk:
                unlink(filler)
            }
            // No change on the volume: the next resync writes it.
            let document = try await fixture.waitForFile("version 2 after the condition cleared") {
                $0.labels["version"] == "2"
            }
            #expect(UInt64(document.revision) == fixture.store.current?.revision)
            try await waitUntil("health to recover") { fixture.health.status.degradedReason == nil }
            #expect(fixture.logs.contains(.info, "output recovered"))
            try await fixture.stop()
        }

        /// Fills the file system holding `path` until write(2) says ENOSPC.
        func fill(_ path: String) {
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            precondition(fd >= 0, "open \(path): \(ErrnoValue.current)")
            defer { close(fd) }
            let block = [UInt8](repeating: 0x2e, count: 4096)
            while true {
                let written = block.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
                if written <= 0 { break }
            }
        }
    }

    /// `--once`: one read, every output written, then `run()` returns (or throws).
    @Suite struct OnceTests {
        @Test func runReturnsAfterOneReadAndWrite() async throws {
            let fixture = try AgentFixture(backend: .polling, initial: nil, once: true)
            Files.mkdir(fixture.root)
            try fixture.publish(labels: ["version": "1"], annotations: ["a": "b"])
            try await fixture.service.run()
            let document = try PublishedDocument.read(fixture.output)
            #expect(document.revision == 1)
            #expect(document.labels == ["version": "1"] && document.annotations == ["a": "b"])
            #expect(fixture.readsStarted == 1)
            #expect(fixture.outputWrites == 1)
            #expect(fixture.health.status.ready && !fixture.health.status.alive)
        }

        @Test func missingVolumeThrows() async throws {
            let fixture = try AgentFixture(backend: .polling, initial: nil, once: true)
            // The read error itself, so the CLI can exit 66 as the contract says.
            let error = await #expect(throws: VolumeReadError.self) { try await fixture.service.run() }
            #expect(error?.kind == .missing)
            #expect(!Files.exists(fixture.output))
            #expect(!fixture.health.status.ready)
        }

        @Test func unwritableOutputThrows() async throws {
            // The output's directory is a regular file: creating the temporary file fails.
            let scratch = TemporaryDirectory("podmeta-agent-out")
            let notADirectory = scratch.sub("file")
            Files.write(notADirectory, "")
            let fixture = try AgentFixture(backend: .polling, initial: nil, outputDirectory: notADirectory, once: true)
            Files.mkdir(fixture.root)
            try fixture.publish(labels: ["version": "1"])
            let error = await #expect(throws: AgentError.self) { try await fixture.service.run() }
            #expect(error.map { "\($0)" }?.contains(fixture.output) == true, "\(String(describing: error))")
            #expect(fixture.outputErrors == 1)
        }
    }
}
