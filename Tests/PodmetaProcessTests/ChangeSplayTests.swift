import Testing

@testable import PodmetaProcess

extension PodmetaProcessTests {
    @Suite struct ChangeSplayTests {
        @Test func aBurstWaitsItsDelayAndGoesOutOnceWithTheLatest() async {
            // Half of 2 s, every time: a 1 s delay.
            let splay = ChangeSplay<Int>(splay: .seconds(2), fraction: { 0.5 })
            let running = Task { await splay.run() }
            let start = ContinuousClock.now
            for value in 1...3 { splay.send(value) }
            var iterator = splay.output.makeAsyncIterator()
            let first = await iterator.next()
            #expect(start.duration(to: .now) >= .seconds(1))
            #expect(first == 3)
            splay.send(4)
            splay.finish()
            #expect(await iterator.next() == 4)
            #expect(await iterator.next() == nil)
            await running.value
        }

        @Test func noSplayPassesEachChangeOn() async {
            let splay = ChangeSplay<Int>(splay: .zero)
            let running = Task { await splay.run() }
            var iterator = splay.output.makeAsyncIterator()
            splay.send(1)
            #expect(await iterator.next() == 1)
            splay.send(2)
            #expect(await iterator.next() == 2)
            splay.finish()
            #expect(await iterator.next() == nil)
            await running.value
        }

        @Test func cancellingDropsAHeldChange() async {
            let splay = ChangeSplay<Int>(splay: .seconds(3600), fraction: { 1 })
            let running = Task { await splay.run() }
            splay.send(1)
            running.cancel()
            await running.value
            var iterator = splay.output.makeAsyncIterator()
            #expect(await iterator.next() == nil)
        }
    }
}
