import PodmetaSystem

/// Runs blocking work on a fresh thread of its own, off the cooperative pool (which has one
/// thread per core and is shared with the other tests).
package func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let started = OSThread.start { _ in
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }
        precondition(started, "pthread_create: \(ErrnoValue.current)")
    }
}
