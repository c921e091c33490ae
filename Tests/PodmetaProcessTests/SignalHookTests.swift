import Glibc
import PodmetaTestSupport
import Testing

@testable import PodmetaProcess

extension PodmetaProcessTests {
    @Suite struct SignalHookTests {
        static let nginx = ProcessTableEntry(
            pid: 40, arguments: ["/usr/sbin/nginx", "-g", "daemon off;"], name: "nginx", uid: 101)
        static let worker = ProcessTableEntry(
            pid: 41, arguments: ["nginx: worker process"], name: "nginx", uid: 101)
        static let gunicorn = ProcessTableEntry(
            pid: 7, arguments: ["/usr/bin/python3", "/app/bin/gunicorn", "app:app"], name: "gunicorn", uid: 1000)

        @Test(arguments: [
            ("nginx", [40, 41]), ("gunicorn", [7]), ("python3", [7]), ("/gunicorn app:app/", [7]),
            ("/worker/", [41]), ("/^nginx: /", [41]), ("ngin", []), ("/nomatch/", []),
        ])
        func matchesByNameOrCommandLine(text: String, pids: [Int32]) throws {
            let matcher = try ProcessMatcher(parsing: text)
            #expect([Self.nginx, Self.worker, Self.gunicorn].filter(matcher.matches).map(\.pid).sorted() == pids)
        }

        @Test(arguments: ["", "bin/nginx", "/[unclosed/"])
        func refusesWhatIsNeitherANameNorAPattern(text: String) {
            #expect(throws: ProcessMatcherError.self) { try ProcessMatcher(parsing: text) }
        }

        func hook(_ text: String, _ multiple: SignalHook.Multiple = .refuse) throws -> SignalHook {
            SignalHook(matcher: try ProcessMatcher(parsing: text), signal: .hangup, multiple: multiple)
        }

        @Test func noMatchSaysWhereItLooked() throws {
            let outcome = try hook("nginx").deliver(to: [], scanned: 3, sender: (0, 0)) { _ in 0 }
            #expect(outcome.failure == .noProcess)
            #expect(outcome.summary.contains("among the 3") && outcome.summary.contains("shareProcessNamespace"))
        }

        @Test func severalMatchesAreRefusedOrAllSignalled() throws {
            let sent = Recorder<Int32>()
            let refused = try hook("nginx").deliver(to: [Self.nginx, Self.worker], scanned: 3, sender: (0, 0)) {
                sent.record($0)
                return 0
            }
            #expect(refused.failure == .ambiguous)
            #expect(refused.summary.contains("40 (/usr/sbin/nginx -g daemon off;)") && refused.summary.contains("41"))
            #expect(sent.all.isEmpty)
            let all = try hook("nginx", .all).deliver(to: [Self.nginx, Self.worker], scanned: 3, sender: (0, 0)) {
                sent.record($0)
                return 0
            }
            #expect(all.failure == nil)
            #expect(sent.all == [40, 41])
        }

        @Test func permissionDeniedNamesBothUsers() throws {
            let outcome = try hook("gunicorn").deliver(to: [Self.gunicorn], scanned: 3, sender: (65532, 65532)) { _ in
                EPERM
            }
            #expect(outcome.failure == .permission)
            #expect(outcome.summary.contains("runs as uid 1000") && outcome.summary.contains("podmeta as uid 65532"))
        }

        @Test func aProcessThatExitedMeanwhileIsNotAFailure() throws {
            let outcome = try hook("gunicorn").deliver(to: [Self.gunicorn], scanned: 3, sender: (0, 0)) { _ in ESRCH }
            #expect(outcome.failure == nil)
        }

        @Test func theScanSeesARealProcessAndItsCommandLine() async throws {
            let token = "podmeta-scan-\(getpid())"
            let child = try ProcessSpawner().spawn(
                ProcessSpec(command: .argv(["/bin/sh", "-c", "sleep 30; :", token]), environment: basicEnvironment))
            // Scanned until the child shows up (a scan straight after the spawn once missed it
            // in CI), and only the child's own entry is checked: the shell may fork before it
            // runs `sleep`, and for a moment that fork carries the same command line.
            let matcher = try ProcessMatcher(parsing: "/\(token)/")
            var mine: ProcessTableEntry?
            _ = await eventually(within: .seconds(10)) {
                mine = ProcessTableEntry.scan().first { matcher.matches($0) && $0.pid == child.pid }
                return mine != nil
            }
            // Reaped before the test ends: the supervisor tests of this suite wait for every
            // child of the test process.
            _ = child.signalGroup(.kill)
            _ = await child.wait()
            #expect(mine?.pid == child.pid)
            #expect(mine?.uid == getuid())
            #expect(mine?.arguments == ["/bin/sh", "-c", "sleep 30; :", token])
        }
    }
}
