import Glibc
import PodmetaSystem
import PodmetaTestSupport
import Testing

@testable import PodmetaIO

struct AtomicFileWriterTests {
    static func temporaries(in directory: String) -> [String] {
        Files.list(directory).filter { $0.contains(".tmp-") }
    }

    @Test(arguments: [UInt32(0o644), 0o600, 0o640, 0o444])
    func writesContentWithTheMode(_ mode: UInt32) throws {
        let directory = TemporaryDirectory("podmeta-writer")
        let path = directory.sub("out.json")
        let writer = AtomicFileWriter(path: path, mode: mode)
        #expect(try writer.write(Array("{\"a\":1}".utf8)))
        #expect(Files.readText(path) == "{\"a\":1}")
        let info = try #require(Files.info(path))
        #expect(UInt32(info.st_mode) & 0o7777 == mode)
        #expect(Self.temporaries(in: directory.path) == [])
    }

    @Test func unchangedBytesAreNotRewritten() throws {
        let directory = TemporaryDirectory("podmeta-writer")
        let path = directory.sub("out.json")
        let writer = AtomicFileWriter(path: path)
        try writer.write(Array("one".utf8))
        let first = try #require(Files.info(path))

        #expect(try writer.write(Array("one".utf8)) == false)
        // A new writer (an agent restart) compares with the file's content.
        #expect(try AtomicFileWriter(path: path).write(Array("one".utf8)) == false)

        let second = try #require(Files.info(path))
        #expect(second.st_ino == first.st_ino)
        #expect(second.st_mtim.tv_sec == first.st_mtim.tv_sec && second.st_mtim.tv_nsec == first.st_mtim.tv_nsec)

        #expect(try writer.write(Array("two".utf8)))
        #expect(Files.readText(path) == "two")
        #expect(try #require(Files.info(path)).st_ino != first.st_ino)
    }

    @Test func aDifferentModeOrAnOutsideEditIsRewritten() throws {
        let directory = TemporaryDirectory("podmeta-writer")
        let path = directory.sub("out")
        Files.write(path, "same")
        chmod(path, 0o600)
        #expect(try AtomicFileWriter(path: path, mode: 0o644).write(Array("same".utf8)))

        let writer = AtomicFileWriter(path: path)
        try writer.write(Array("mine".utf8))
        Files.write(path, "edited")  // same inode, new content
        #expect(try writer.write(Array("mine".utf8)))
        #expect(Files.readText(path) == "mine")
        unlink(path)
        #expect(try writer.write(Array("mine".utf8)))
        #expect(Files.readText(path) == "mine")
    }

    @Test func refusesToWriteInsideTheForbiddenRoot() throws {
        let directory = TemporaryDirectory("podmeta-writer")
        let volume = directory.sub("volume")
        Files.mkdir(volume + "/sub")
        symlink(volume + "/sub", directory.sub("sneaky"))
        for path in [volume + "/out.json", volume + "/sub/out.json", directory.sub("sneaky/out.json")] {
            #expect(throws: AtomicFileWriterError.insideForbiddenRoot(path: path, root: volume)) {
                try AtomicFileWriter(path: path, forbiddenRoot: volume).write(Array("x".utf8))
            }
        }
        // A sibling whose name starts like the volume is fine.
        Files.mkdir(directory.sub("volume2"))
        #expect(try AtomicFileWriter(path: directory.sub("volume2/out"), forbiddenRoot: volume).write([1]))
        #expect(Files.list(volume) == ["sub"])
    }

    @Test func aMissingDirectoryIsATypedError() throws {
        let directory = TemporaryDirectory("podmeta-writer")
        let path = directory.sub("no/such/out.json")
        let error = #expect(throws: AtomicFileWriterError.self) {
            try AtomicFileWriter(path: path).write([1])
        }
        #expect(error == .system(path: path, operation: .createTemporary, errno: ErrnoValue(ENOENT)))
        #expect(
            error?.description
                == "cannot write \(path): creating the temporary file failed: No such file or directory (ENOENT)")
    }

    @Test func staleTemporariesOfDeadProcessesAreRemoved() throws {
        let directory = TemporaryDirectory("podmeta-writer")
        // pid_max is at most 4194304: this pid cannot be alive.
        let dead = directory.sub(".out.tmp-4194999-3")
        let alive = directory.sub(".out.tmp-1-3")  // init
        let other = directory.sub(".other.tmp-4194999-3")
        for path in [dead, alive, other] { Files.write(path, "partial") }
        try AtomicFileWriter(path: directory.sub("out")).write([1])
        #expect(!Files.exists(dead))
        #expect(Files.exists(alive))
        #expect(Files.exists(other))
    }

    /// As a container's PID 1 the agent has the same pid after every restart: a crash's
    /// leftovers carry our own pid and must go too (but not a file of another pattern).
    @Test func staleTemporariesWithOurOwnPidAreRemoved() throws {
        let directory = TemporaryDirectory("podmeta-writer")
        let ours = directory.sub(".out.tmp-\(getpid())-7")
        let notOurs = directory.sub(".out.tmp-\(getpid())-7.keep")
        let symlinkTarget = directory.sub("target")
        let link = directory.sub(".out.tmp-\(getpid())-8")
        Files.write(symlinkTarget, "kept")
        for path in [ours, notOurs] { Files.write(path, "partial") }
        #expect(symlink(symlinkTarget, link) == 0)
        try AtomicFileWriter(path: directory.sub("out")).write([1])
        #expect(!Files.exists(ours))
        #expect(!Files.exists(link))
        #expect(Files.exists(notOurs))
        #expect(Files.readText(symlinkTarget) == "kept", "the sweep followed a symlink")
    }

    /// Versions differ in length, so a torn read cannot look complete.
    static func document(_ version: Int) -> [UInt8] {
        let padding = String(repeating: "x", count: 1000 + (version * 37) % 5000)
        return Array("{\"revision\":\(version),\"padding\":\"\(padding)\"}".utf8)
    }

    /// One thread rewrites a JSON file 500 times while another reads it continuously:
    /// every read must be one complete version.
    @Test func readersNeverSeeAPartialFile() async throws {
        let directory = TemporaryDirectory("podmeta-writer")
        let path = directory.sub("snapshot.json")
        let writer = AtomicFileWriter(path: path)
        try writer.write(Self.document(0))

        let done = Flag()
        async let reads = onThread { () -> (count: Int, bad: [String]) in
            var count = 0
            var bad: [String] = []
            while !done.isSet || count == 0 {
                guard let bytes = Files.read(path) else {
                    bad.append("unreadable")
                    continue
                }
                count += 1
                let text = String(decoding: bytes, as: UTF8.self)
                guard text.hasPrefix("{\"revision\":"),
                    let comma = text.firstIndex(of: ","),
                    let version = Int(text[text.index(text.startIndex, offsetBy: 12)..<comma]),
                    bytes == Self.document(version)
                else {
                    bad.append(String(text.prefix(40)))
                    continue
                }
            }
            return (count, bad)
        }
        let writes: Int = try await onThread {
            defer { done.set() }
            var written = 0
            for version in 1...500 where try writer.write(Self.document(version)) { written += 1 }
            return written
        }
        let result = try await reads
        #expect(writes == 500)
        #expect(result.count > 0)
        #expect(result.bad == [])
        #expect(Self.temporaries(in: directory.path) == [])
    }
}

/// Tests that need root and mount(2): a read-only directory, a full file system and a
/// bind-mounted destination cannot be built with file modes when running as root.
@Suite(.serialized, .enabled(if: MountFixture.available, "needs root and mount(2)"))
struct AtomicFileWriterMountTests {
    @Test func aReadOnlyDirectoryLeavesTheOldFile() throws {
        let directory = TemporaryDirectory("podmeta-writer-ro")
        try MountFixture.mountTmpfs(directory.path)
        defer { MountFixture.unmount(directory.path) }
        let path = directory.sub("out.json")
        let writer = AtomicFileWriter(path: path)
        try writer.write(Array("old".utf8))
        try MountFixture.remount(directory.path, readOnly: true)

        #expect(throws: AtomicFileWriterError.system(path: path, operation: .createTemporary, errno: ErrnoValue(EROFS)))
        {
            try writer.write(Array("new".utf8))
        }
        #expect(Files.readText(path) == "old")
        #expect(AtomicFileWriterTests.temporaries(in: directory.path) == [])
    }

    @Test func aFullFileSystemLeavesTheOldFileAndNoTemporary() throws {
        let directory = TemporaryDirectory("podmeta-writer-full")
        try MountFixture.mountTmpfs(directory.path, size: "64k")
        defer { MountFixture.unmount(directory.path) }
        let path = directory.sub("out.json")
        let writer = AtomicFileWriter(path: path)
        try writer.write(Array("old".utf8))

        let error = #expect(throws: AtomicFileWriterError.self) {
            try writer.write([UInt8](repeating: 0x41, count: 1 << 20))
        }
        #expect(error == .system(path: path, operation: .write, errno: ErrnoValue(ENOSPC)))
        #expect(error?.description.contains("No space left on device (ENOSPC)") == true)
        #expect(Files.readText(path) == "old")
        #expect(AtomicFileWriterTests.temporaries(in: directory.path) == [])
    }

    @Test func aBindMountedFileIsRewrittenInPlaceWithOneWarning() throws {
        let directory = TemporaryDirectory("podmeta-writer-bind")
        let source = directory.sub("source")
        let path = directory.sub("out.json")
        Files.write(source, "old")
        Files.write(path, "")
        try MountFixture.bind(source, onto: path)
        defer { MountFixture.unmount(path) }
        let (logger, store) = CapturingLogHandler.logger()
        let writer = AtomicFileWriter(path: path, logger: logger)

        #expect(try writer.write(Array("new".utf8)))
        #expect(try writer.write(Array("newer".utf8)))
        #expect(try writer.write(Array("newer".utf8)) == false)
        #expect(Files.readText(path) == "newer")
        #expect(Files.readText(source) == "newer")
        #expect(store.count(.warning) == 1)
        #expect(AtomicFileWriterTests.temporaries(in: directory.path) == [])
    }
}
