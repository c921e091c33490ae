import Glibc
import PodmetaSystem
import PodmetaTestSupport
import Testing

@testable import PodmetaIO

/// Outputs never replace what is not theirs: a device, a FIFO, a socket or a directory at
/// the destination is refused at every write; a symlink is replaced, never followed.
struct OutputDestinationTests {
    /// A destination of each kind that must survive, made in `directory`.
    enum Foreign: String, CaseIterable, CustomTestStringConvertible {
        case fifo, socket, directory, characterDevice

        var testDescription: String { rawValue }

        func make(at path: String) throws {
            switch self {
            case .fifo: #expect(mkfifo(path, 0o644) == 0)
            case .directory: Files.mkdir(path)
            case .characterDevice:
                // /dev/null's device (major 1, minor 3): what `--output /dev/null` replaced as root.
                #expect(mknod(path, S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0, "mknod needs root")
            case .socket:
                let fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
                defer { close(fd) }
                var address = sockaddr_un()
                address.sun_family = sa_family_t(AF_UNIX)
                withUnsafeMutableBytes(of: &address.sun_path) { buffer in
                    for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
                }
                let bound = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                    }
                }
                #expect(bound == 0)
            }
        }

        var kind: FileKind {
            switch self {
            case .fifo: .fifo
            case .socket: .socket
            case .directory: .directory
            case .characterDevice: .characterDevice
            }
        }
    }

    @Test(arguments: Foreign.allCases)
    func aWriteRefusesADestinationThatIsNotARegularFile(_ foreign: Foreign) throws {
        let directory = TemporaryDirectory("podmeta-destination")
        let path = directory.sub("out")
        try foreign.make(at: path)
        #expect(throws: AtomicFileWriterError.notARegularFile(path: path, kind: foreign.kind)) {
            try AtomicFileWriter(path: path).write(Array("{}".utf8))
        }
        #expect(try FileKind.at(path) == foreign.kind, "the destination was replaced")
        #expect(AtomicFileWriterTests.temporaries(in: directory.path) == [])
    }

    /// Checked at every write, not once: the directory is shared, and a FIFO can appear
    /// after the first write.
    @Test func aDestinationReplacedByAFIFOAfterAWriteIsRefused() throws {
        let directory = TemporaryDirectory("podmeta-destination")
        let path = directory.sub("out")
        let writer = AtomicFileWriter(path: path)
        #expect(try writer.write(Array("one".utf8)))
        unlink(path)
        #expect(mkfifo(path, 0o644) == 0)
        #expect(throws: AtomicFileWriterError.notARegularFile(path: path, kind: .fifo)) {
            try writer.write(Array("two".utf8))
        }
        #expect(try FileKind.at(path) == .fifo)
    }

    @Test func aSymlinkDestinationIsReplacedAndItsTargetKept() throws {
        let directory = TemporaryDirectory("podmeta-destination")
        let target = directory.sub("target")
        let path = directory.sub("out")
        #expect(mkfifo(target, 0o644) == 0)
        #expect(symlink(target, path) == 0)
        #expect(try AtomicFileWriter(path: path).write(Array("new".utf8)))
        #expect(try FileKind.at(path) == .regular)
        #expect(Files.readText(path) == "new")
        #expect(try FileKind.at(target) == .fifo)
    }
}

struct OutputPathPlanTests {
    typealias Entry = OutputPathPlan.Entry

    @Test func distinctRegularPathsAreSound() {
        let directory = TemporaryDirectory("podmeta-plan")
        Files.write(directory.sub("pod.json"), "{}")
        let plan = OutputPathPlan(
            entries: [
                Entry(flag: "--output", path: directory.sub("pod.json"), role: .file),
                Entry(flag: "--env-file", path: directory.sub("pod.env"), role: .file),
                Entry(flag: "--socket", path: directory.sub("podmeta.sock"), role: .socket),
                Entry(flag: "--template", path: directory.sub("app.ini"), role: .file),
                Entry(flag: "--template", path: directory.sub("app.ini.mustache"), role: .templateSource),
            ], volume: directory.sub("podinfo"))
        #expect(plan.problem() == nil)
    }

    /// Each pair names one directory entry, written differently.
    @Test(arguments: [
        ("--output", "pod.json", "--socket", "pod.json"),
        ("--output", "pod.json", "--env-file", "./pod.json"),
        ("--output", "pod.json", "--template", "sub/../pod.json"),
        ("--env-file", "pod.env", "--template", "link/pod.env"),
        ("--template", "a//b/x", "--template", "a/b/./x"),
    ])
    func twoOutputsOnOneDestinationConflict(first: String, firstPath: String, second: String, secondPath: String)
        throws
    {
        let directory = TemporaryDirectory("podmeta-plan")
        Files.mkdir(directory.sub("sub"))
        Files.mkdir(directory.sub("a"))
        Files.mkdir(directory.sub("a/b"))
        #expect(symlink(directory.path, directory.sub("link")) == 0)
        func role(_ flag: String) -> OutputPathPlan.Role { flag == "--socket" ? .socket : .file }
        let plan = OutputPathPlan(
            entries: [
                Entry(flag: first, path: directory.sub(firstPath), role: role(first)),
                Entry(flag: second, path: directory.sub(secondPath), role: role(second)),
            ], volume: nil)
        let problem = try #require(plan.problem())
        #expect(problem.contains("\(first) and \(second) both name"), "\(problem)")
    }

    @Test func aTemplateThatWouldOverwriteItsSourceConflicts() throws {
        let directory = TemporaryDirectory("podmeta-plan")
        let template = directory.sub("app.ini")
        Files.write(template, "{{labels.app}}")
        let plan = OutputPathPlan(
            entries: [
                Entry(flag: "--template", path: template, role: .file),
                Entry(flag: "--template", path: template, role: .templateSource),
            ], volume: nil)
        let problem = try #require(plan.problem())
        #expect(problem.contains("would overwrite the template \(template)"), "\(problem)")
    }

    /// The source is a symlink to another output's destination: rendering would read back
    /// what the agent wrote.
    @Test func aTemplateSourceLinkedToADestinationConflicts() throws {
        let directory = TemporaryDirectory("podmeta-plan")
        Files.write(directory.sub("pod.json"), "{}")
        #expect(symlink(directory.sub("pod.json"), directory.sub("t.mustache")) == 0)
        let plan = OutputPathPlan(
            entries: [
                Entry(flag: "--output", path: directory.sub("pod.json"), role: .file),
                Entry(flag: "--template", path: directory.sub("out.txt"), role: .file),
                Entry(flag: "--template", path: directory.sub("t.mustache"), role: .templateSource),
            ], volume: nil)
        let problem = try #require(plan.problem())
        #expect(problem.hasPrefix("--output"), "\(problem)")
    }

    @Test(arguments: [OutputPathPlan.Role.file, .socket])
    func anOutputInsideTheVolumeConflicts(role: OutputPathPlan.Role) throws {
        let directory = TemporaryDirectory("podmeta-plan")
        let volume = directory.sub("podinfo")
        Files.mkdir(volume)
        #expect(symlink(volume, directory.sub("alias")) == 0)
        let plan = OutputPathPlan(
            entries: [Entry(flag: "--output", path: directory.sub("alias/pod.json"), role: role)], volume: volume)
        let problem = try #require(plan.problem())
        #expect(problem.contains("inside the watched volume \(volume)"), "\(problem)")
    }

    @Test func aMissingVolumeIsComparedByItsPath() throws {
        let directory = TemporaryDirectory("podmeta-plan")
        let plan = OutputPathPlan(
            entries: [Entry(flag: "--env-file", path: directory.sub("podinfo/x/pod.env"), role: .file)],
            volume: directory.sub("podinfo"))
        #expect(plan.problem() != nil)
        let sibling = OutputPathPlan(
            entries: [Entry(flag: "--env-file", path: directory.sub("podinfo2/pod.env"), role: .file)],
            volume: directory.sub("podinfo"))
        #expect(sibling.problem() == nil)
    }

    @Test(arguments: [OutputDestinationTests.Foreign.fifo, .directory, .characterDevice])
    func aDestinationThatIsNotARegularFileIsRefusedAtStart(_ foreign: OutputDestinationTests.Foreign) throws {
        let directory = TemporaryDirectory("podmeta-plan")
        let path = directory.sub("out")
        try foreign.make(at: path)
        let plan = OutputPathPlan(entries: [Entry(flag: "--output", path: path, role: .file)], volume: nil)
        let problem = try #require(plan.problem())
        #expect(
            problem
                == "--output \(path) is \(foreign.kind), not a regular file: podmeta only replaces regular files; give the path of a file"
        )
    }

    @Test func theLocationResolvesExistingDirectoriesOnly() {
        let directory = TemporaryDirectory("podmeta-plan")
        Files.mkdir(directory.sub("real"))
        #expect(symlink(directory.sub("real"), directory.sub("alias")) == 0)
        #expect(symlink("elsewhere", directory.sub("real/last")) == 0)
        let resolved = Posix.realPath(directory.path) ?? directory.path
        #expect(OutputPathPlan.location(of: directory.sub("alias/last")) == resolved + "/real/last")
        #expect(OutputPathPlan.location(of: directory.sub("alias/missing/x")) == resolved + "/real/missing/x")
        #expect(OutputPathPlan.location(of: "/") == "/")
    }
}
