/// Thrown by ``waitUntil(_:timeout:_:)`` when its deadline passes.
package struct DeadlineExceeded: Error, CustomStringConvertible {
    package let what: String

    package init(what: String) {
        self.what = what
    }

    package var description: String { "gave up waiting for \(what)" }
}

/// How many times a wait checks its condition before its deadline may end it.
///
/// The deadline guards against a hang, not against a busy machine. Swift Testing queues
/// thousands of parameterized cases on the cooperative pool at the start of a run, and a
/// background task under test (a polling watcher, a log collector) runs only when the pool
/// gets to it, about as often as the waiting task itself. Requiring this many checks first
/// lets a saturated pool make it slower, never fail it; on an idle machine the checks take
/// a second, far less than any deadline.
private let minimumChecks = 200

/// Waits until `condition` holds, checking every few milliseconds. The deadline only guards
/// against a hang (it fails the test); no test asserts on how long anything took.
package func waitUntil(
    _ what: String, timeout: Duration = .seconds(30), _ condition: () throws -> Bool
) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    var checks = 0
    while try !condition() {
        checks += 1
        if checks >= minimumChecks && clock.now > deadline { throw DeadlineExceeded(what: what) }
        try await Task.sleep(for: .milliseconds(5))
    }
}

/// Polls `condition` until it holds or `limit` passes (see ``waitUntil(_:timeout:_:)``);
/// whether it held. For tests that `#expect` on the answer.
package func eventually(within limit: Duration = .seconds(30), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + limit
    var checks = 0
    while !condition() {
        checks += 1
        if checks >= minimumChecks && ContinuousClock.now >= deadline { return false }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return true
}
