import Synchronization

/// Collects values delivered from any thread.
package final class Recorder<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])

    package init() {}

    package func record(_ value: Value) { values.withLock { $0.append(value) } }

    package var all: [Value] { values.withLock { $0 } }

    /// Waits (bounded) until at least `count` values arrived.
    package func waitForCount(_ count: Int) async -> [Value] {
        _ = await eventually { self.all.count >= count }
        return all
    }
}
