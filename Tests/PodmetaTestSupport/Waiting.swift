/// Thrown by ``waitUntil(_:timeout:_:)`` when its deadline passes.
package struct DeadlineExceeded: Error, CustomStringConvertible {
    package let what: String

    package init(what: String) {
        self.what = what
    }

    package var description: String { "gave up waiting for \(what)" }
}

/// Waits until `condition` holds, checking every few milliseconds. The deadline only guards
/// against a hang (it fails the test); no test asserts on how long anything took.
package func waitUntil(
    _ what: String, timeout: Duration = .seconds(30), _ condition: () throws -> Bool
) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while try !condition() {
        if clock.now > deadline { throw DeadlineExceeded(what: what) }
        try await Task.sleep(for: .milliseconds(5))
    }
}

/// Polls `condition` until it holds or `limit` passes; whether it held. Like
/// ``waitUntil(_:timeout:_:)``, for tests that `#expect` on the answer.
package func eventually(within limit: Duration = .seconds(30), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + limit
    while !condition() {
        if ContinuousClock.now >= deadline { return false }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return true
}
