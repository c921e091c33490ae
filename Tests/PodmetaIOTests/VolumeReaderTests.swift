import Glibc
import PodmetaSystem
import Testing

@testable import PodmetaIO

/// A throwaway directory laid out by hand, independent of the kubelet simulator, so the
/// reader is tested against exactly the layout the reference describes.
struct VolumeReaderFixture: ~Copyable {
    let root: String

    init() {
        var template = Array("/tmp/podmeta-vr-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        root = String(cString: made!)
    }

    deinit {
        _ = system("rm -rf '\(root)'")
    }

    func write(_ relative: String, _ text: String) {
        let path = root + "/" + relative
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        precondition(fd >= 0, "cannot create \(path)")
        _ = text.utf8CString.withUnsafeBufferPointer { Glibc.write(fd, $0.baseAddress, $0.count - 1) }
        close(fd)
    }

    func mkdir(_ relative: String) { _ = Glibc.mkdir(root + "/" + relative, 0o755) }
    func symlink(_ target: String, _ relative: String) { _ = Glibc.symlink(target, root + "/" + relative) }
    func rename(_ from: String, _ to: String) { _ = Glibc.rename(root + "/" + from, root + "/" + to) }

    /// Lays out generation `name` with `files` and points `..data` at it (steps 2 and 4).
    func publish(_ name: String, _ files: [String: String]) {
        mkdir(name)
        for (path, text) in files { write(name + "/" + path, text) }
        symlink(name, "..data_tmp")
        rename("..data_tmp", "..data")
        for path in files.keys { symlink("..data/" + path, path) }
    }
}

@Suite struct VolumeReaderTests {
    @Test func readsOneGenerationThroughDataLink() throws {
        let fixture = VolumeReaderFixture()
        fixture.publish("..2026_11_22_01_02_03.1", ["labels": "a=\"1\"", "name": "web-0"])
        let result = try VolumeReader(root: fixture.root).read(paths: ["labels", "name", "uid"])
        #expect(result.generation == "..2026_11_22_01_02_03.1")
        #expect(result.files["labels"] == Array("a=\"1\"".utf8))
        #expect(result.files["name"] == Array("web-0".utf8))
        #expect(result.missing == ["uid"])
        #expect(result.isKubeletVolume)
        #expect(!result.looksLikeSubPathMount)
    }

    @Test func readsTheNewGenerationEvenBeforeTopLevelLinksExist() throws {
        // Step 5 of the update creates links of new names after the commit: the reader
        // must not depend on them.
        let fixture = VolumeReaderFixture()
        fixture.publish("..g1", ["labels": "a=\"1\""])
        fixture.mkdir("..g2")
        fixture.write("..g2/labels", "a=\"2\"")
        fixture.write("..g2/annotations", "n=\"x\"")
        fixture.symlink("..g2", "..data_tmp")
        fixture.rename("..data_tmp", "..data")
        let result = try VolumeReader(root: fixture.root).read(paths: ["labels", "annotations"])
        #expect(result.generation == "..g2")
        #expect(result.files["annotations"] == Array("n=\"x\"".utf8))
    }

    @Test func nestedItems() throws {
        let fixture = VolumeReaderFixture()
        fixture.mkdir("..g1")
        fixture.mkdir("..g1/sub")
        fixture.write("..g1/sub/x", "nested")
        fixture.symlink("..g1", "..data")
        fixture.symlink("..data/sub", "sub")
        let result = try VolumeReader(root: fixture.root).read(paths: ["sub/x"])
        #expect(result.files["sub/x"] == Array("nested".utf8))
    }

    @Test func plainDirectory() throws {
        let fixture = VolumeReaderFixture()
        fixture.write("labels", "a=\"1\"")
        let result = try VolumeReader(root: fixture.root).read(paths: ["labels", "name"])
        #expect(result.generation == nil)
        #expect(result.files["labels"] == Array("a=\"1\"".utf8))
        #expect(result.missing == ["name"])
        #expect(!result.looksLikeSubPathMount, "/tmp here is not tmpfs-backed by the kubelet")
    }

    @Test func missingRootIsATypedError() {
        do {
            _ = try VolumeReader(root: "/nonexistent/podmeta-volume").read(paths: ["labels"])
            Issue.record("read succeeded")
        } catch {
            #expect(error.kind == .missing)
            #expect(error.description == "cannot read volume /nonexistent/podmeta-volume: it does not exist")
        }
    }

    @Test func oversizedFileIsRefused() {
        let fixture = VolumeReaderFixture()
        fixture.write("labels", String(repeating: "x", count: 2000))
        #expect(throws: VolumeReadError.self) {
            try VolumeReader(root: fixture.root, maxFileSize: 1000).read(paths: ["labels"])
        }
    }

    @Test func directoryWhereAFileIsExpectedIsAnError() {
        let fixture = VolumeReaderFixture()
        fixture.mkdir("labels")
        #expect(throws: VolumeReadError.self) {
            try VolumeReader(root: fixture.root).read(paths: ["labels"])
        }
    }
}

/// Items that are not regular files, and symlinks that leave the volume.
@Suite struct VolumeReaderHostileItemTests {
    /// Reads `paths` with a FIFO unblocker on `fifo`, returning the error thrown.
    private func readError(
        _ fixture: borrowing VolumeReaderFixture, paths: [String], fifo: String
    ) -> (VolumeReadError?, unblocked: Bool) {
        let unblocker = FIFOUnblocker(path: fixture.root + "/" + fifo)
        defer { unblocker.finish() }
        do {
            _ = try VolumeReader(root: fixture.root).read(paths: paths)
            return (nil, unblocker.fired)
        } catch {
            return (error, unblocker.fired)
        }
    }

    @Test func aFIFOItemIsAReadErrorNotAHang() {
        let fixture = VolumeReaderFixture()
        fixture.write("annotations", "a=\"1\"")
        let (error, unblocked) = readError(fixture, paths: ["labels", "annotations"], fifo: "labels")
        #expect(!unblocked, "the reader blocked in open() on a FIFO")
        #expect(error?.kind == .unreadable)
        #expect(error?.path == fixture.root + "/labels")
        #expect(error?.reason == "it is a FIFO, not a regular file")
    }

    @Test func aFIFOInsideAGenerationIsAReadErrorNotAHang() {
        let fixture = VolumeReaderFixture()
        fixture.publish("..2026_11_22_01_02_03.1", ["annotations": "a=\"1\""])
        let (error, unblocked) = readError(
            fixture, paths: ["labels", "annotations"], fifo: "..2026_11_22_01_02_03.1/labels")
        #expect(!unblocked, "the reader blocked in open() on a FIFO")
        #expect(error?.reason == "it is a FIFO, not a regular file")
    }

    @Test func aSymlinkToAFIFOIsRefusedToo() {
        let fixture = VolumeReaderFixture()
        fixture.mkdir("sub")
        fixture.symlink("sub/fifo", "labels")
        let (error, unblocked) = readError(fixture, paths: ["labels"], fifo: "sub/fifo")
        #expect(!unblocked, "the reader blocked in open() on a FIFO")
        #expect(error?.reason == "it is a FIFO, not a regular file")
    }

    @Test func aDirectoryItemIsRefused() throws {
        let fixture = VolumeReaderFixture()
        fixture.mkdir("labels")
        #expect(
            throws: VolumeReadError(
                path: fixture.root + "/labels", kind: .unreadable, reason: "it is a directory, not a regular file")
        ) {
            try VolumeReader(root: fixture.root).read(paths: ["labels"])
        }
    }

    @Test func aSymlinkInsideTheVolumeIsFollowed() throws {
        let fixture = VolumeReaderFixture()
        fixture.mkdir("real")
        fixture.write("real/labels", "a=\"1\"")
        fixture.symlink("real/labels", "labels")
        fixture.symlink(fixture.root + "/real", "dir")
        let result = try VolumeReader(root: fixture.root).read(paths: ["labels", "dir/labels"])
        #expect(result.files["labels"] == Array("a=\"1\"".utf8))
        #expect(result.files["dir/labels"] == Array("a=\"1\"".utf8))
    }

    @Test(arguments: ["labels", "dir/labels"])
    func aSymlinkLeavingTheVolumeIsRefused(item: String) throws {
        let fixture = VolumeReaderFixture()
        let outside = VolumeReaderFixture()
        outside.write("labels", "secret=\"1\"")
        fixture.symlink(outside.root + "/labels", "labels")
        fixture.symlink(outside.root, "dir")
        let realOutside = try #require(Posix.realPath(outside.root))
        #expect(
            throws: VolumeReadError(
                path: fixture.root + "/" + item, kind: .unreadable,
                reason: "it is a symlink to \(realOutside)/labels, outside the volume")
        ) {
            try VolumeReader(root: fixture.root).read(paths: [item])
        }
    }

    @Test func aDeviceBehindASymlinkIsNeverOpened() {
        let fixture = VolumeReaderFixture()
        fixture.symlink("/dev/zero", "labels")
        #expect(throws: VolumeReadError.self) { try VolumeReader(root: fixture.root).read(paths: ["labels"]) }
    }

    @Test func dataPointingAtARegularFileIsAReadErrorNotAnEmptyVolume() {
        let fixture = VolumeReaderFixture()
        fixture.write("..2026_11_22_01_02_03.1", "not a directory")
        fixture.symlink("..2026_11_22_01_02_03.1", "..data")
        #expect(
            throws: VolumeReadError(
                path: fixture.root + "/..data", kind: .unreadable,
                reason: "it points at a regular file, not a directory of items")
        ) {
            try VolumeReader(root: fixture.root).read(paths: ["labels", "annotations"])
        }
    }

    @Test func dataPointingOutsideTheVolumeIsRefused() throws {
        let fixture = VolumeReaderFixture()
        let outside = VolumeReaderFixture()
        outside.write("labels", "secret=\"1\"")
        fixture.symlink(outside.root, "..data")
        let realOutside = try #require(Posix.realPath(outside.root))
        #expect(
            throws: VolumeReadError(
                path: fixture.root + "/..data", kind: .unreadable,
                reason: "it points at \(realOutside), outside the volume")
        ) {
            try VolumeReader(root: fixture.root).read(paths: ["labels"])
        }
    }

    @Test func aDanglingDataLinkSaysSo() {
        let fixture = VolumeReaderFixture()
        fixture.symlink("..gone", "..data")
        #expect(
            throws: VolumeReadError(
                path: fixture.root + "/..data", kind: .unreadable, reason: "it points at ..gone, which does not exist")
        ) {
            try VolumeReader(root: fixture.root).read(paths: ["labels"])
        }
    }
}

@Suite struct SmallFileTests {
    @Test func aFIFOIsRefusedWithoutBlocking() {
        let fixture = VolumeReaderFixture()
        let unblocker = FIFOUnblocker(path: fixture.root + "/config.json")
        defer { unblocker.finish() }
        #expect(throws: FileReadError.notRegularFile(kind: "a FIFO")) {
            try SmallFile.read(fixture.root + "/config.json", limit: 1 << 20)
        }
        #expect(!unblocker.fired, "SmallFile.read blocked in open() on a FIFO")
    }

    @Test func aDirectoryIsRefused() {
        let fixture = VolumeReaderFixture()
        #expect(throws: FileReadError.notRegularFile(kind: "a directory")) {
            try SmallFile.read(fixture.root, limit: 10)
        }
    }

    @Test func tooLargeSaysTheLimit() {
        let fixture = VolumeReaderFixture()
        fixture.write("big", "0123456789")
        #expect(throws: FileReadError.tooLarge(limit: 4)) { try SmallFile.read(fixture.root + "/big", limit: 4) }
    }
}
