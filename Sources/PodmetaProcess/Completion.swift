import Synchronization

/// A value that arrives once, awaited by any number of tasks, optionally with a deadline.
///
/// Resumed from any thread (our waiter threads resume it), so awaiting never blocks a
/// thread of the cooperative pool.
final class Completion<Value: Sendable>: Sendable {
    private struct State {
        var value: Value?
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Value?, Never>] = [:]
    }

    private let state = Mutex(State())

    init() {}

    /// The value, if it has arrived.
    var value: Value? { state.withLock { $0.value } }

    /// Delivers the value; later calls are ignored.
    func complete(_ value: Value) {
        let waiters = state.withLock { state -> [CheckedContinuation<Value?, Never>] in
            guard state.value == nil else { return [] }
            state.value = value
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: value) }
    }

    /// Waits for the value, ignoring cancellation.
    func wait() async -> Value {
        if let value { return value }
        let id = nextID()
        let value = await withCheckedContinuation { (continuation: CheckedContinuation<Value?, Never>) in
            register(continuation, id: id, honouringCancellation: false)
        }
        return value!
    }

    /// Waits until the value arrives or `deadline` passes (nil), or the task is cancelled (nil).
    func wait(until deadline: ContinuousClock.Instant) async -> Value? {
        if let value { return value }
        let first = await withTaskGroup(of: Value?.self) { group in
            group.addTask { await self.waitUnlessCancelled() }
            group.addTask {
                try? await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        return first ?? value
    }

    private func waitUnlessCancelled() async -> Value? {
        let id = nextID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Value?, Never>) in
                register(continuation, id: id, honouringCancellation: true)
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(returning: nil)
        }
    }

    private func nextID() -> Int {
        state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
    }

    private func register(_ continuation: CheckedContinuation<Value?, Never>, id: Int, honouringCancellation: Bool) {
        // Task.isCancelled is set before onCancel runs, and both sides take the lock: either
        // we see the flag here, or onCancel finds the registered continuation and resumes it.
        let immediate: Value?? = state.withLock { state in
            if let value = state.value { return .some(value) }
            if honouringCancellation, Task.isCancelled { return .some(nil) }
            state.waiters[id] = continuation
            return nil
        }
        if let immediate { continuation.resume(returning: immediate) }
    }
}
