import PodmetaTestSupport
import Testing

@testable import PodmetaProcess

extension PodmetaProcessTests {
    /// `exec --wait` and `--splay` in virtual time: a ``ManualClock`` moves only when the
    /// test says, so no test sleeps for a timer.
    @Suite struct ChangeSplayTests {
        typealias Instant = ManualClock.Instant

        struct HoldRow: Sendable, CustomTestStringConvertible {
            var wait: HookQuiescence?
            /// When each change arrives, in milliseconds.
            var changes: [Int]
            /// When the quiet period ends, in milliseconds.
            var quietUntil: Int?
            var testDescription: String { "\(wait.map { "\($0)" } ?? "no wait"), changes at \(changes)" }
        }

        static let holdRows: [HoldRow] = [
            HoldRow(wait: HookQuiescence(minimum: .seconds(2), maximum: .seconds(10)), changes: [0], quietUntil: 2000),
            // Each change restarts the minimum.
            HoldRow(
                wait: HookQuiescence(minimum: .seconds(2), maximum: .seconds(10)), changes: [0, 1000, 2500],
                quietUntil: 4500),
            // A change every 1.5 s never leaves 2 s of calm: the maximum after the first ends it.
            HoldRow(
                wait: HookQuiescence(minimum: .seconds(2), maximum: .seconds(10)),
                changes: Array(stride(from: 0, through: 9000, by: 1500)), quietUntil: 10000),
            // Without a maximum it is 4 × the minimum, as in consul-template.
            HoldRow(
                wait: HookQuiescence(minimum: .seconds(2)), changes: Array(stride(from: 0, through: 7500, by: 1500)),
                quietUntil: 8000),
            HoldRow(wait: HookQuiescence(minimum: .zero, maximum: .zero), changes: [3000], quietUntil: 3000),
            HoldRow(wait: nil, changes: [0, 1000], quietUntil: nil),
        ]

        @Test(arguments: holdRows)
        func theQuietPeriodEndsMinAfterTheLastChangeAndAtMostMaxAfterTheFirst(_ row: HoldRow) {
            var hold = ChangeHold<Int, Instant>(quiescence: row.wait)
            for (index, time) in row.changes.enumerated() {
                hold.hold(index, at: Instant(offset: .milliseconds(time)))
            }
            #expect(hold.quietUntil == row.quietUntil.map { Instant(offset: .milliseconds($0)) })
            #expect(hold.take() == row.changes.count - 1, "the latest change goes out")
            #expect(!hold.isHolding && hold.quietUntil == nil)
            // The next change starts a quiet period of its own.
            hold.hold(99, at: Instant(offset: .seconds(60)))
            #expect(hold.quietUntil == row.wait.map { Instant(offset: .seconds(60) + $0.minimum) })
        }

        /// Collects what comes out of `splay`, with the virtual time it came out at.
        static func collect(_ splay: ChangeSplay<Int, ManualClock>, _ clock: ManualClock) -> (
            Recorder<(Int, Duration)>, Task<Void, Never>
        ) {
            let received = Recorder<(Int, Duration)>()
            let consumer = Task {
                for await value in splay.output { received.record((value, clock.now.offset)) }
            }
            return (received, consumer)
        }

        @Test func aBurstWaitsForCalmThenTheSplayAndGoesOutOnceWithTheLatest() async {
            let clock = ManualClock()
            // --wait 2s:10s --splay 4s, half the splay every time: 2 s.
            let splay = ChangeSplay<Int, ManualClock>(
                splay: .seconds(4), quiescence: HookQuiescence(minimum: .seconds(2), maximum: .seconds(10)),
                clock: clock, fraction: { 0.5 })
            let running = Task { await splay.run() }
            let (received, consumer) = Self.collect(splay, clock)
            splay.send(1)
            #expect(await clock.hasSleeper(at: .seconds(2)))
            clock.advance(by: .seconds(1))
            splay.send(2)  // at 1 s: calm until 3 s
            clock.advance(by: .seconds(1))
            #expect(await clock.hasSleeper(at: .seconds(3)))
            clock.advance(by: .seconds(1))
            // Calm since 1 s: now the splay, until 5 s; a change meanwhile joins it.
            #expect(await clock.hasSleeper(at: .seconds(5)))
            splay.send(3)
            #expect(received.all.isEmpty)
            clock.advance(by: .seconds(2))
            splay.finish()
            await running.value
            await consumer.value
            #expect(received.all.map(\.0) == [3])
            #expect(received.all.map(\.1) == [.seconds(5)])
        }

        @Test func aStreamOfChangesGoesOutAtTheMaximum() async {
            let clock = ManualClock()
            let splay = ChangeSplay<Int, ManualClock>(
                splay: .zero, quiescence: HookQuiescence(minimum: .seconds(1), maximum: .seconds(3)), clock: clock)
            let running = Task { await splay.run() }
            let (received, consumer) = Self.collect(splay, clock)
            splay.send(0)
            #expect(await clock.hasSleeper(at: .seconds(1)))
            // A change every 500 ms: never 1 s of calm.
            for step in 1...5 {
                clock.advance(by: .milliseconds(500))
                if step >= 2 {
                    // The runner woke at its deadline and sleeps to the one the last change set.
                    #expect(await clock.hasSleeper(at: min(.milliseconds(500 * step + 500), .seconds(3))))
                }
                splay.send(step)
            }
            #expect(received.all.isEmpty)
            clock.advance(by: .milliseconds(500))
            splay.finish()
            await running.value
            await consumer.value
            #expect(received.all.map(\.0) == [5])
            #expect(received.all.map(\.1) == [.seconds(3)])
        }

        @Test func finishingDeliversWhatIsHeldAfterItsWait() async {
            let clock = ManualClock()
            let splay = ChangeSplay<Int, ManualClock>(
                splay: .zero, quiescence: HookQuiescence(minimum: .seconds(2)), clock: clock)
            let running = Task { await splay.run() }
            let (received, consumer) = Self.collect(splay, clock)
            splay.send(1)
            splay.finish()
            #expect(await clock.hasSleeper(at: .seconds(2)))
            clock.advance(by: .seconds(2))
            await running.value
            await consumer.value
            #expect(received.all.map(\.0) == [1])
        }

        @Test func noWaitAndNoSplayPassEachChangeOn() async {
            let splay = ChangeSplay<Int, ContinuousClock>(splay: .zero)
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

        /// Shutdown cancels the owner's task group: a change held by the wait or the splay
        /// never reaches the child.
        @Test(arguments: [false, true])
        func cancellingDropsAHeldChange(_ duringSplay: Bool) async {
            let clock = ManualClock()
            let splay = ChangeSplay<Int, ManualClock>(
                splay: duringSplay ? .seconds(3600) : .zero,
                quiescence: duringSplay ? nil : HookQuiescence(minimum: .seconds(3600)), clock: clock,
                fraction: { 1 })
            let running = Task { await splay.run() }
            splay.send(1)
            #expect(await clock.hasSleeper(at: .seconds(3600)))
            running.cancel()
            await running.value
            var iterator = splay.output.makeAsyncIterator()
            #expect(await iterator.next() == nil)
            #expect(clock.deadlines.isEmpty)
        }
    }
}
