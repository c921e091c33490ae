import Glibc
import PodmetaCore
import PodmetaSystem
import PodmetaTestSupport
import Testing

@testable import PodmetaIO

struct KubeletVolumeWriterTests {
    static func isTimestampDirectory(_ name: String) -> Bool {
        // ..2026_11_22_01_02_03.3109920630
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0].isEmpty, parts[1].isEmpty, UInt32(parts[3]) != nil else { return false }
        let stamp = parts[2].split(separator: "_")
        return stamp.map(\.count) == [4, 2, 2, 2, 2, 2] && stamp.allSatisfy { $0.allSatisfy(\.isNumber) }
    }

    @Test func theFirstWriteBuildsTheKubeletLayout() throws {
        let directory = TemporaryDirectory("podmeta-kubelet")
        let writer = KubeletVolumeWriter(root: directory.path)
        let generation = try #require(
            try writer.write(
                payload(["labels": "a=\"1\"", "name": "web-0", "sub/x": "nested"]), modes: ["name": 0o600]))
        #expect(Self.isTimestampDirectory(generation), "\(generation)")
        #expect(Files.list(directory.path) == [generation, "..data", "labels", "name", "sub"])
        #expect(Files.link(directory.sub("..data")) == generation)
        #expect(Files.link(directory.sub("labels")) == "..data/labels")
        #expect(Files.link(directory.sub("sub")) == "..data/sub")
        #expect(Files.readText(directory.sub("sub/x")) == "nested")
        #expect(Files.readText(directory.sub("labels")) == "a=\"1\"")
        let generationPath = directory.sub(generation)
        #expect(UInt32(try #require(Files.info(generationPath)).st_mode) & 0o7777 == 0o755)
        #expect(UInt32(try #require(Files.info(generationPath + "/labels")).st_mode) & 0o7777 == 0o644)
        #expect(UInt32(try #require(Files.info(generationPath + "/name")).st_mode) & 0o7777 == 0o600)
        #expect(!Files.exists(directory.sub("..data_tmp")))
    }

    @Test func anUnchangedPayloadWritesNothing() throws {
        let directory = TemporaryDirectory("podmeta-kubelet")
        let writer = KubeletVolumeWriter(root: directory.path)
        let generation = try writer.write(payload(["labels": "a", "sub/x": "1"]))
        #expect(try writer.write(payload(["labels": "a", "sub/x": "1"])) == nil)
        #expect(Files.link(directory.sub("..data")) == generation)
        // A removed top-level symlink is recreated even so, as the kubelet does.
        unlink(directory.sub("labels"))
        #expect(try writer.write(payload(["labels": "a", "sub/x": "1"])) == nil)
        #expect(Files.link(directory.sub("labels")) == "..data/labels")
    }

    @Test func aSwapReplacesTheGenerationAndTheNames() throws {
        let directory = TemporaryDirectory("podmeta-kubelet")
        let writer = KubeletVolumeWriter(root: directory.path)
        let first = try #require(try writer.write(payload(["labels": "1", "uid": "u", "sub/x": "1", "sub/y": "1"])))
        let second = try #require(try writer.write(payload(["labels": "2", "extra": "e", "sub/x": "1"])))
        #expect(first != second)
        #expect(Files.list(directory.path) == [second, "..data", "extra", "labels", "sub"])
        #expect(Files.list(directory.sub(second + "/sub")) == ["x"])
        #expect(Files.readText(directory.sub("labels")) == "2")
        // Dropping only a nested item is a change too.
        let third = try #require(try writer.write(payload(["labels": "2", "extra": "e", "sub/z": "1"])))
        #expect(Files.list(directory.sub("sub")) == ["z"])
        #expect(Files.list(directory.path) == [third, "..data", "extra", "labels", "sub"])
    }

    @Test func ownershipChangeAddsGroupReadAndSetgid() throws {
        let directory = TemporaryDirectory("podmeta-kubelet")
        var writer = KubeletVolumeWriter(root: directory.path, defaultMode: 0o600)
        writer.simulatesOwnershipChange = true
        let generation = try #require(try writer.write(payload(["labels": "1"])))
        let file = try #require(Files.info(directory.sub(generation + "/labels")))
        let dir = try #require(Files.info(directory.sub(generation)))
        #expect(UInt32(file.st_mode) & 0o7777 == 0o640)
        #expect(UInt32(dir.st_mode) & 0o7777 == 0o2755)
    }

    static let invalid: [(path: String, reason: String)] = [
        ("", "must not be empty"),
        ("/etc/passwd", "must be a relative path"),
        ("a/../b", "must not contain '..'"),
        ("..", "must not contain '..'"),
        ("..data", "must not start with '..'"),
        ("..hidden/x", "must not start with '..'"),
        (String(repeating: "n", count: 256), "file names must be at most 255 bytes long"),
    ]

    @Test(arguments: invalid)
    func invalidPathsAreRejected(_ path: String, _ reason: String) throws {
        let directory = TemporaryDirectory("podmeta-kubelet")
        #expect(throws: KubeletVolumeWriterError.invalidPath(path, reason: reason)) {
            try KubeletVolumeWriter(root: directory.path).write([path: [1]])
        }
        #expect(Files.list(directory.path) == [])
    }

    @Test func validOddPathsAreAccepted() throws {
        let directory = TemporaryDirectory("podmeta-kubelet")
        try KubeletVolumeWriter(root: directory.path).write(payload([".hidden": "h", "a..b": "x", "./c": "c"]))
        #expect(Files.readText(directory.sub(".hidden")) == "h")
        #expect(Files.readText(directory.sub("a..b")) == "x")
        #expect(Files.readText(directory.sub("c")) == "c")
    }

    @Test func aMissingRootIsAnError() {
        #expect(
            throws: KubeletVolumeWriterError.system(
                path: "/nonexistent/podmeta", operation: "open the volume", errno: ErrnoValue(ENOENT))
        ) {
            try KubeletVolumeWriter(root: "/nonexistent/podmeta").write(payload(["a": "b"]))
        }
    }
}

struct KubeletMapFormatTests {
    @Test func formatsSortedLinesWithoutATrailingNewline() {
        let map = ["b": "2", "app.kubernetes.io/name": "shop", "a": "x\ny", "Z": "upper"]
        let text = String(decoding: KubeletMapFormat.format(map), as: UTF8.self)
        #expect(text == "Z=\"upper\"\na=\"x\\ny\"\napp.kubernetes.io/name=\"shop\"\nb=\"2\"")
        #expect(KubeletMapFormat.format([:]) == [])
    }

    /// Bytes from Go 1.19: `fieldpath.FormatMap` quotes with strconv.Quote.
    @Test func quotesValuesLikeGo() {
        let map = ["note": "say \"hi\" \\ \u{a0}é😀\u{2028}\u{1b}"]
        let text = String(decoding: KubeletMapFormat.format(map), as: UTF8.self)
        #expect(text == #"note="say \"hi\" \\ \u00a0é😀\u2028\x1b""#)
    }

    @Test func formattedMapsParseBack() throws {
        let map = ["a": "multi\nline", "example.com/q": "\"quoted\"", "empty": "", "uni": "日本\u{feff}"]
        let parsed = try KubeletMapFile.parse(KubeletMapFormat.format(map), path: "annotations", strict: true)
        #expect(parsed.entries == map)
        #expect(parsed.warnings == [])
    }

    @Test func theQuoteFunctionIsInjectable() {
        let text = KubeletMapFormat.format(["k": "v"], quote: { "<\(String(decoding: $0, as: UTF8.self))>" })
        #expect(String(decoding: text, as: UTF8.self) == "k=<v>")
    }
}
