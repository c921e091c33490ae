import Glibc
import PodmetaSystem
import PodmetaTestSupport
import Testing

/// `stat.fileKind`, which every `lstat`/`stat` check of the edges uses instead of masking
/// `st_mode` by hand.
@Suite struct FileKindTests {
    @Test func lstatTellsEachKindApart() throws {
        let directory = TemporaryDirectory()
        directory.write("file", "x")
        Files.mkdir(directory.sub("dir"))
        #expect(symlink("file", directory.sub("link")) == 0)
        #expect(mkfifo(directory.sub("fifo"), 0o600) == 0)
        let kinds = ["file", "dir", "link", "fifo"].map { Files.info(directory.sub($0))?.fileKind }
        #expect(kinds == [.regular, .directory, .symbolicLink, .fifo])
        #expect(Files.info("/dev/null")?.fileKind == .characterDevice)
    }
}
