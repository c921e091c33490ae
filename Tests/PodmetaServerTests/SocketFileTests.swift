import Glibc
import Logging
import PodmetaState
import PodmetaSystem
import PodmetaTestSupport
import ServiceLifecycle
import Testing

@testable import PodmetaServer

/// Socket-file safety. Serialized: the tests create, probe and replace files under /tmp and
/// must not see each other's sockets half made. The umask is left alone (other suites in
/// the same process create files); the usual 022 already masks the group write bit that
/// 0660 asks for, so an exact mode proves the chmod after bind.
@Suite(.serialized) struct SocketFileTests {
    static func mode(_ path: String) -> UInt32? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return UInt32(info.st_mode & 0o7777)
    }

    static func isSocket(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFSOCK
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    @Test(arguments: [(nil as UInt32?, 0o660 as UInt32), (0o600, 0o600), (0o666, 0o666)])
    func socketModeIsExactDespiteTheUmask(configured: UInt32?, expected: UInt32) async throws {
        let server = try await TestServer { if let configured { $0.mode = configured } }
        #expect(SocketFileTests.mode(server.path) == expected)
        #expect(try server.get("/healthz").status == 200)
        try await server.finish()
    }

    /// Another user swaps the socket for a symlink right after `bind`: the mode change must
    /// not follow it to the file it names.
    @Test func aSymlinkPlantedAfterBindIsNeverFollowed() throws {
        let directory = try Posix.makeTemporaryDirectory(in: "/tmp", prefix: "pmsrv")
        let path = directory + "/s.sock"
        let victim = directory + "/victim"
        let victimFD = open(victim, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
        #expect(victimFD >= 0)
        close(victimFD)
        #expect(chmod(victim, 0o600) == 0)
        #expect(throws: SocketServerError.self) {
            _ = try UnixSocketFile.create(path: path, mode: 0o666, directoryMode: 0o750) {
                unlink(path)
                symlink(victim, path)
            }
        }
        #expect(SocketFileTests.mode(victim) == 0o600)
        // The planted link is not ours to delete either.
        var info = stat()
        #expect(lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK)
        Files.removeTree(directory)
    }

    @Test func missingParentDirectoriesAreCreated0750() async throws {
        let root = try Posix.makeTemporaryDirectory(in: "/tmp", prefix: "pmsrv")
        let directory = root + "/run/podmeta"
        let server = try await TestServer(directory: directory)
        #expect(SocketFileTests.mode(directory) == 0o750)
        #expect(SocketFileTests.mode(root + "/run") == 0o750)
        #expect(try server.get("/healthz").status == 200)
        try await server.stop()
        Files.removeTree(root)
    }

    @Test func aSecondServerOnTheSamePathRefusesToStart() async throws {
        let first = try await TestServer()
        let second = SocketServer(
            configuration: SocketServerConfiguration(path: first.path), store: SnapshotStore(), health: AgentHealth(),
            metrics: MetricsRegistry())
        do {
            try await second.start()
        } catch {
            #expect(error.kind == .alreadyServing)
            #expect(error.description.contains(first.path))
        }
        // The first server is untouched.
        #expect(SocketFileTests.isSocket(first.path))
        #expect(try first.get("/healthz").status == 200)
        try await first.finish()
    }

    @Test func aStaleSocketIsReplaced() async throws {
        let directory = try Posix.makeTemporaryDirectory(in: "/tmp", prefix: "pmsrv")
        let path = directory + "/s.sock"
        // A socket file nobody listens on, as a crashed agent leaves it.
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        let bound = UnixSocketAddress.withAddress(path) { bind(fd, $0, $1) }
        #expect(bound == 0)
        close(fd)
        #expect(SocketFileTests.isSocket(path))
        #expect(UnixSocketFile.probe(path) == .dead)

        let server = try await TestServer(directory: directory)
        #expect(try server.get("/healthz").status == 200)
        try await server.finish()
    }

    @Test(arguments: ["file", "directory", "symlink"])
    func somethingElseIsNeverDeleted(kind: String) async throws {
        let directory = try Posix.makeTemporaryDirectory(in: "/tmp", prefix: "pmsrv")
        let path = directory + "/s.sock"
        switch kind {
        case "file":
            let fd = open(path, O_CREAT | O_WRONLY, 0o644)
            _ = write(fd, "precious", 8)
            close(fd)
        case "directory":
            mkdir(path, 0o755)
        default:
            symlink("/etc/hostname", path)
        }
        let server = SocketServer(
            configuration: SocketServerConfiguration(path: path), store: SnapshotStore(), health: AgentHealth(),
            metrics: MetricsRegistry())
        do {
            try await server.start()
            Issue.record("started over a \(kind)")
        } catch {
            #expect(error.kind == .notASocket)
            #expect(error.description.contains("not a socket"))
        }
        #expect(SocketFileTests.exists(path))
        if kind == "file" {
            var buffer = [UInt8](repeating: 0, count: 8)
            let fd = open(path, O_RDONLY)
            #expect(read(fd, &buffer, 8) == 8)
            close(fd)
            #expect(buffer == Array("precious".utf8))
        }
        Files.removeTree(directory)
    }

    @Test func aTooLongPathIsRefused() async throws {
        let path = "/tmp/" + String(repeating: "x", count: 110)
        let server = SocketServer(
            configuration: SocketServerConfiguration(path: path), store: SnapshotStore(), health: AgentHealth(),
            metrics: MetricsRegistry())
        do {
            try await server.start()
            Issue.record("started on a too long path")
        } catch {
            #expect(error.kind == .pathTooLong)
        }
    }

    @Test func shutdownRemovesTheSocket() async throws {
        let server = try await TestServer()
        #expect(SocketFileTests.isSocket(server.path))
        try await server.stop()
        #expect(!SocketFileTests.exists(server.path))
        #expect(throws: UnixSocketHTTPClientError.self) { try server.get("/healthz") }
        Files.removeTree(server.directory)
    }

    @Test func shutdownLeavesASuccessorsSocketAlone() async throws {
        let server = try await TestServer()
        // Someone replaced the file while we ran (e.g. an operator started another agent
        // after removing ours): our cleanup must not delete theirs.
        unlink(server.path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        _ = UnixSocketAddress.withAddress(server.path) { bind(fd, $0, $1) }
        try await server.stop()
        #expect(SocketFileTests.isSocket(server.path))
        close(fd)
        Files.removeTree(server.directory)
    }

    @Test func shutdownAnswersABlockingQueryAndClosesIdleConnections() async throws {
        let server = try await TestServer()
        let blocked = try server.connect()
        blocked.send("GET /v1/labels/app?raw&revision=1&wait=10m HTTP/1.1\r\nHost: x\r\n\r\n")
        let idle = try server.connect()
        idle.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try idle.readResponse().status == 200)
        #expect(await eventually { server.store.waiterCount == 1 })
        try await server.stop()
        let answer = try blocked.readResponse()
        #expect(answer.status == 200)
        #expect(answer.text == "web")
        #expect(answer.header("connection") == "close")
        #expect(try blocked.waitForClose())
        #expect(try idle.waitForClose())
        #expect(server.store.waiterCount == 0)
        Files.removeTree(server.directory)
    }

    @Test func runsAsAServiceInAServiceGroup() async throws {
        let directory = try Posix.makeTemporaryDirectory(in: "/tmp", prefix: "pmsrv")
        let path = directory + "/s.sock"
        let store = SnapshotStore()
        store.publish(TestServer.sample)
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let server = SocketServer(
            configuration: SocketServerConfiguration(path: path), store: store, health: AgentHealth(),
            metrics: MetricsRegistry(), logger: logger)
        let group = ServiceGroup(services: [server], logger: logger)
        let running = Task { try await group.run() }
        #expect(await eventually { SocketFileTests.isSocket(path) })
        #expect(
            await eventually {
                (try? UnixSocketHTTPClient(path: path).request("/v1/labels/app?raw").text) == "web"
            })
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(!SocketFileTests.exists(path))
        Files.removeTree(directory)
    }
}
