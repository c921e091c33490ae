import PodmetaCore
import PodmetaState
import Synchronization
import Testing

@Suite struct SnapshotStoreTests {
    static func snapshot(_ labels: [String: String]) -> PodSnapshot {
        var snapshot = PodSnapshot()
        snapshot.labels = labels
        return snapshot
    }

    @Test func revisionsCountContentChangesOnly() {
        let store = SnapshotStore(clock: { 42 })
        #expect(store.current == nil)
        #expect(store.publish(Self.snapshot(["app": "web"]))?.revision == 1)
        #expect(store.publish(Self.snapshot(["app": "web"])) == nil)
        let second = store.publish(Self.snapshot(["app": "web", "version": "2"]))
        #expect(second?.revision == 2 && second?.publishedAt == 42)
        #expect(store.current?.revision == 2)
        #expect(store.current?.document == second?.document)
    }

    /// Swift compares strings by canonical equivalence; readers of the file do not.
    @Test func aValueRewrittenFromNFCToNFDIsAChange() {
        let store = SnapshotStore(clock: { 0 })
        store.publish(Self.snapshot(["name": "caf\u{E9}"]))
        #expect(store.publish(Self.snapshot(["name": "cafe\u{301}"]))?.revision == 2)
    }

    @Test func aWaiterRunsOnceOnTheNextRevisionAndNotAfterCancel() {
        let store = SnapshotStore(clock: { 0 })
        store.publish(Self.snapshot(["v": "1"]))
        let seen = Mutex<[UInt64]>([])
        let id = store.onRevision(after: 1) { published in seen.withLock { $0.append(published.revision) } }
        #expect(id != nil && store.waiterCount == 1)
        store.publish(Self.snapshot(["v": "2"]))
        store.publish(Self.snapshot(["v": "3"]))
        #expect(seen.withLock { $0 } == [2])
        #expect(store.waiterCount == 0)

        let cancelled = store.onRevision(after: 3) { _ in seen.withLock { $0.append(0) } }
        #expect(cancelled.map(store.cancel) == true)
        store.publish(Self.snapshot(["v": "4"]))
        #expect(seen.withLock { $0 } == [2])
    }

    @Test func aWaiterForAnOlderRevisionRunsAtOnce() {
        let store = SnapshotStore(clock: { 0 })
        store.publish(Self.snapshot(["v": "1"]))
        let seen = Mutex<UInt64?>(nil)
        #expect(store.onRevision(after: 0) { published in seen.withLock { $0 = published.revision } } == nil)
        #expect(seen.withLock { $0 } == 1)
    }

    @Test func nextAnswersTheCurrentRevisionOnTimeout() async {
        let store = SnapshotStore(clock: { 0 })
        #expect(await store.next(after: 0, timeout: .milliseconds(1)) == nil)
        store.publish(Self.snapshot(["v": "1"]))
        #expect(await store.next(after: 1, timeout: .milliseconds(1))?.revision == 1)
        #expect(await store.next(after: 0, timeout: .seconds(60))?.revision == 1)
    }

    @Test func updatesStartWithTheCurrentRevision() async {
        let store = SnapshotStore(clock: { 0 })
        store.publish(Self.snapshot(["v": "1"]))
        var updates = store.updates().makeAsyncIterator()
        #expect(await updates.next()?.revision == 1)
        store.publish(Self.snapshot(["v": "2"]))
        #expect(await updates.next()?.revision == 2)
    }
}
