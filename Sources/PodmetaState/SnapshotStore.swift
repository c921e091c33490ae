import PodmetaCore
import Synchronization

/// The single source of truth for the current snapshot, shared by the watcher loop (the
/// only writer) and every reader: the socket server, the watch stream, hooks.
///
/// Readers can wait for the next revision without polling: a waiter is a callback held in
/// a dictionary, so a thousand idle blocking queries cost a thousand small closures and
/// nothing else. Callbacks run on the publishing thread, outside the lock, and must only
/// hand off (e.g. to an event loop).
package final class SnapshotStore: Sendable {
    /// A registered waiter, to cancel it.
    package struct WaiterID: Hashable, Sendable {
        fileprivate let value: UInt64
    }

    private struct State {
        var current: PublishedSnapshot?
        var nextWaiterID: UInt64 = 0
        var waiters: [UInt64: (after: UInt64, callback: @Sendable (PublishedSnapshot) -> Void)] = [:]
        var streams: [UInt64: AsyncStream<PublishedSnapshot>.Continuation] = [:]
    }

    private let state = Mutex(State())
    private let clock: @Sendable () -> Double

    /// - Parameter clock: wall-clock seconds since the epoch, injectable for tests.
    package init(clock: @escaping @Sendable () -> Double = WallClock.now) {
        self.clock = clock
    }

    /// The latest published snapshot, nil before the first complete read.
    package var current: PublishedSnapshot? {
        state.withLock { $0.current }
    }

    /// Publishes `snapshot` if its content differs from the current one.
    ///
    /// - Returns: the new revision, or nil when the content is unchanged (nothing happens).
    @discardableResult
    package func publish(_ snapshot: PodSnapshot) -> PublishedSnapshot? {
        let now = clock()
        let key = PublishedSnapshot.contentKey(of: snapshot)
        let (published, callbacks, streams) = state.withLock {
            state -> (
                PublishedSnapshot?, [@Sendable (PublishedSnapshot) -> Void],
                [AsyncStream<PublishedSnapshot>.Continuation]
            ) in
            if let current = state.current, current.contentKey == key { return (nil, [], []) }
            let next = PublishedSnapshot(
                revision: (state.current?.revision ?? 0) + 1, snapshot: snapshot, publishedAt: now, contentKey: key)
            state.current = next
            let ready = state.waiters.filter { $0.value.after < next.revision }
            for id in ready.keys { state.waiters[id] = nil }
            return (next, ready.values.map(\.callback), Array(state.streams.values))
        }
        guard let published else { return nil }
        for callback in callbacks { callback(published) }
        for stream in streams { stream.yield(published) }
        return published
    }

    /// Calls `callback` once, as soon as a revision greater than `revision` exists
    /// (immediately, on this thread, if it already does).
    ///
    /// - Returns: an id to cancel the wait, or nil when the callback already ran.
    @discardableResult
    package func onRevision(
        after revision: UInt64, _ callback: @escaping @Sendable (PublishedSnapshot) -> Void
    ) -> WaiterID? {
        let immediate = state.withLock { state -> PublishedSnapshot? in
            if let current = state.current, current.revision > revision { return current }
            return nil
        }
        if let immediate {
            callback(immediate)
            return nil
        }
        let id = state.withLock { state -> UInt64? in
            // Re-check under the lock: a publish may have happened in between.
            if let current = state.current, current.revision > revision { return nil }
            state.nextWaiterID += 1
            state.waiters[state.nextWaiterID] = (revision, callback)
            return state.nextWaiterID
        }
        guard let id else {
            if let current { callback(current) }
            return nil
        }
        return WaiterID(value: id)
    }

    /// Cancels a wait; its callback will not run. Returns false if it already ran.
    @discardableResult
    package func cancel(_ id: WaiterID) -> Bool {
        state.withLock { $0.waiters.removeValue(forKey: id.value) != nil }
    }

    /// The number of pending waiters (for metrics).
    package var waiterCount: Int {
        state.withLock { $0.waiters.count }
    }

    /// Waits until a revision greater than `revision` exists or `timeout` passes.
    ///
    /// - Returns: the newer snapshot, or the current one (possibly nil) on timeout, as a
    ///   Consul blocking query answers.
    package func next(after revision: UInt64, timeout: Duration) async -> PublishedSnapshot? {
        if let current, current.revision > revision { return current }
        let updates = self.updates()
        return await withTaskGroup(of: PublishedSnapshot?.self) { group in
            group.addTask {
                for await published in updates where published.revision > revision { return published }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? self.current
        }
    }

    /// Every published snapshot from now on, starting with the current one if there is one.
    /// Slow consumers see only the newest pending revision (they never fall behind forever).
    package func updates() -> AsyncStream<PublishedSnapshot> {
        let (stream, continuation) = AsyncStream<PublishedSnapshot>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state -> UInt64 in
            state.nextWaiterID += 1
            state.streams[state.nextWaiterID] = continuation
            if let current = state.current { continuation.yield(current) }
            return state.nextWaiterID
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.streams.removeValue(forKey: id) }
        }
        return stream
    }
}
