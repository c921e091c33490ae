import Logging
import Synchronization
import Testing

@testable import PodmetaIO

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A fresh directory under /tmp, removed with everything in it by `remove()`.
final class TemporaryDirectory: Sendable {
    let path: String

    init(_ label: String = "podmeta-io") {
        var template = Array("/tmp/\(label).XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(created != nil, "mkdtemp failed: \(ErrnoValue.current)")
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func sub(_ name: String) -> String { path + "/" + name }

    deinit {
        try? Posix.removeTree(path)
    }
}

/// File-system helpers for assertions.
enum Files {
    static func read(_ path: String) -> [UInt8]? { try? Posix.readFile(path) }

    static func readText(_ path: String) -> String? { read(path).map { String(decoding: $0, as: UTF8.self) } }

    static func link(_ path: String) -> String? { (try? Posix.readLinkIfPresent(path)) ?? nil }

    static func info(_ path: String) -> stat? { (try? Posix.lstatIfPresent(path)) ?? nil }

    static func exists(_ path: String) -> Bool { info(path) != nil }

    static func list(_ path: String) -> [String] { (try? Posix.listDirectory(path)) ?? [] }

    static func write(_ path: String, _ text: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        precondition(fd >= 0, "open \(path): \(ErrnoValue.current)")
        try? Posix.writeAll(fd, Array(text.utf8))
        close(fd)
    }

    static func mkdir(_ path: String) {
        try? Posix.makeDirectories(path, mode: 0o755)
    }

    static func rename(_ from: String, _ to: String) {
        precondition(Glibc.rename(from, to) == 0, "rename \(from) \(to): \(ErrnoValue.current)")
    }

    static func removeTree(_ path: String) {
        try? Posix.removeTree(path)
    }
}

/// The payload bytes of a text map.
func payload(_ items: [String: String]) -> [String: [UInt8]] {
    items.mapValues { Array($0.utf8) }
}

struct DeadlineExceeded: Error, CustomStringConvertible {
    let what: String
    var description: String { "gave up waiting for \(what)" }
}

/// Waits until `condition` holds, checking every few milliseconds. The deadline only
/// guards against a hang (it fails the test); no test asserts on how long anything took.
/// It is generous because the watchers' tasks share the cooperative pool with every other
/// suite of the test process: on a busy two-core machine the CPU-bound core suites (the
/// quantity oracle, the Mustache fuzz tests) hold both of its threads for over 20 s.
func waitUntil(
    _ what: String, timeout: Duration = .seconds(120), _ condition: () -> Bool
) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while !condition() {
        if clock.now > deadline { throw DeadlineExceeded(what: what) }
        try await Task.sleep(for: .milliseconds(5))
    }
}

/// Collects a watcher's triggers in the background, so a test can wait for conditions on
/// them with a deadline.
final class TriggerLog: Sendable {
    private struct Storage {
        var triggers: [WatchTrigger] = []
        var finished = false
    }

    private let storage = Mutex(Storage())

    private init() {}

    /// Runs `watcher` and starts consuming its stream (the single consumer), as the agent
    /// does; `stop()` ends both.
    static func collecting(_ watcher: any Watcher) -> TriggerLog {
        let log = TriggerLog()
        let stream = watcher.triggers()
        Task.detached { await watcher.run() }
        Task.detached {
            for await trigger in stream {
                log.storage.withLock { $0.triggers.append(trigger) }
            }
            log.storage.withLock { $0.finished = true }
        }
        return log
    }

    var triggers: [WatchTrigger] { storage.withLock { $0.triggers } }

    /// Whether the stream has ended.
    var finished: Bool { storage.withLock { $0.finished } }

    /// Waits until `condition` holds for the triggers so far and returns them.
    @discardableResult
    func wait(
        for what: String, timeout: Duration = .seconds(120), until condition: ([WatchTrigger]) -> Bool
    ) async throws -> [WatchTrigger] {
        try await waitUntil(what, timeout: timeout) { condition(triggers) }
        return triggers
    }

    /// Waits until `trigger` has arrived (after `count` earlier ones, if given).
    @discardableResult
    func wait(for trigger: WatchTrigger, after count: Int = 0) async throws -> [WatchTrigger] {
        try await wait(for: "\(trigger)") { $0.dropFirst(count).contains(trigger) }
    }
}

/// A LogHandler that keeps what is logged, to assert on warnings.
struct CapturingLogHandler: LogHandler {
    final class Store: Sendable {
        private let entries = Mutex<[(Logger.Level, String)]>([])
        func append(_ level: Logger.Level, _ message: String) { entries.withLock { $0.append((level, message)) } }
        var all: [(Logger.Level, String)] { entries.withLock { $0 } }
        func count(_ level: Logger.Level) -> Int { all.filter { $0.0 == level }.count }
    }

    let store: Store
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        store.append(event.level, "\(event.message)")
    }

    static func logger() -> (Logger, Store) {
        let store = Store()
        return (Logger(label: "test", factory: { _ in CapturingLogHandler(store: store) }), store)
    }
}

/// Root with mount(2) rights: the read-only, full-disk and bind-mount tests build their
/// situations with tmpfs and bind mounts (file modes do not stop root).
enum MountFixture {
    static let available: Bool = {
        guard geteuid() == 0 else { return false }
        let probe = TemporaryDirectory("podmeta-mount-probe")
        guard mount("tmpfs", probe.path, "tmpfs", 0, "size=64k") == 0 else { return false }
        umount(probe.path)
        return true
    }()

    /// Mounts a small tmpfs on `path`.
    static func mountTmpfs(_ path: String, size: String = "256k") throws {
        if mount("tmpfs", path, "tmpfs", 0, "size=\(size)") != 0 { throw ErrnoValue.current }
    }

    static func remountReadOnly(_ path: String) throws {
        if mount("tmpfs", path, "tmpfs", UInt(MS_REMOUNT | MS_RDONLY), nil) != 0 { throw ErrnoValue.current }
    }

    static func bind(_ source: String, onto target: String) throws {
        if mount(source, target, nil, UInt(MS_BIND), nil) != 0 { throw ErrnoValue.current }
    }

    static func unmount(_ path: String) {
        umount2(path, Int32(MNT_DETACH))
    }
}

/// A flag one thread sets and another polls.
final class Flag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}

/// The work handed to a thread started by ``onThread(_:)``.
private final class ThreadJob: Sendable {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}

/// Runs blocking work on a fresh thread of its own, off the cooperative pool (which has
/// one thread per core and is shared with the other tests).
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    return try await withCheckedThrowingContinuation { continuation in
        let job = ThreadJob {
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }
        var thread = pthread_t()
        let context = Unmanaged.passRetained(job).toOpaque()
        let created = pthread_create(
            &thread, nil,
            { raw in
                Unmanaged<ThreadJob>.fromOpaque(raw!).takeRetainedValue().run()
                return nil
            }, context)
        precondition(created == 0, "pthread_create: \(ErrnoValue(created))")
        pthread_detach(thread)
    }
}
