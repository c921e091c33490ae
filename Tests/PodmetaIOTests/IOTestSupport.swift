import Glibc
import Logging
import PodmetaSystem
import PodmetaTestSupport
import Synchronization
import Testing

@testable import PodmetaIO

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
