import NIOHTTP1
import Testing

@testable import PodmetaServer

@Suite struct HTTPConnectionStateMachineTests {
    typealias Machine = HTTPConnectionStateMachine

    static func head(_ uri: String = "/v1/pod", keepAlive: Bool = true) -> HTTPRequestHead {
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: uri)
        if !keepAlive { head.headers.add(name: "connection", value: "close") }
        return head
    }

    static func request(_ machine: inout Machine, _ uri: String = "/v1/pod") -> Bool {
        machine.receivedHead(head(uri))
        return machine.receivedEnd()
    }

    @Test func requestsAreAnsweredInOrderOneLongAnswerAtATime() {
        var machine = Machine()
        let r1 = Self.request(&machine, "/a")
        #expect(r1)
        let r2 = Self.request(&machine, "/b")
        #expect(r2)
        let r3 = machine.next(writable: true)
        #expect(r3 == .request(Self.head("/a")))
        machine.longAnswerStarted(.blockingQuery)
        let r4 = machine.next(writable: true)
        #expect(r4 == nil, "the long answer holds the queue")
        #expect(!machine.isIdle)
        machine.longAnswerEnded()
        let r5 = machine.next(writable: false)
        #expect(r5 == nil, "nothing starts while the channel is full")
        let r6 = machine.next(writable: true)
        #expect(r6 == .request(Self.head("/b")))
        let r7 = machine.next(writable: true)
        #expect(r7 == nil)
        #expect(machine.isIdle)
    }

    @Test func aFailureIsAnsweredAfterTheQueueAndEndsTheInput() {
        var machine = Machine()
        let r8 = Self.request(&machine, "/a")
        #expect(r8)
        let error = RequestError(.badRequest, "bad")
        let r9 = machine.failed(error, head: nil)
        #expect(r9)
        #expect(machine.state == .failed)
        let r10 = Self.request(&machine, "/late")
        #expect(!r10, "nothing is read after a failure")
        let r11 = machine.failed(error, head: nil)
        #expect(!r11, "one failure only")
        let r12 = machine.next(writable: true)
        #expect(r12 == .request(Self.head("/a")))
        #expect(machine.keepAlive(Self.head("/a"), close: false), "requests before the failure keep their answers")
        let r13 = machine.next(writable: true)
        #expect(r13 == .failure(error, nil))
        let r14 = machine.answered(keepAlive: false)
        #expect(r14)
        #expect(machine.state == .closing)
    }

    @Test(arguments: [
        (true, false, true), (false, false, false), (true, true, false),
    ])
    func keepAlive(requested: Bool, close: Bool, expected: Bool) {
        let machine = Machine()
        #expect(machine.keepAlive(Self.head(keepAlive: requested), close: close) == expected)
        #expect(!machine.keepAlive(nil, close: false))
    }

    @Test func readingPausesWhileRequestsQueueOrTheChannelIsFull() {
        var machine = Machine(maxQueued: 2)
        let r15 = machine.readRequested(writable: true)
        #expect(r15)
        let r16 = machine.readRequested(writable: false)
        #expect(!r16)
        let r17 = machine.resumeReading(writable: false)
        #expect(!r17)
        let r18 = machine.resumeReading(writable: true)
        #expect(r18)
        let r19 = machine.resumeReading(writable: true)
        #expect(!r19, "a held read is released once")
        _ = Self.request(&machine)
        _ = Self.request(&machine)
        let r20 = machine.readRequested(writable: true)
        #expect(!r20)
        _ = machine.next(writable: true)
        let r21 = machine.resumeReading(writable: true)
        #expect(r21)
    }

    @Test(arguments: [
        (nil as Machine.LongAnswer?, Machine.HeadTimeoutAction.answer),
        (.blockingQuery, .close),
        (.watch, .close),
    ])
    func headTimeout(longAnswer: Machine.LongAnswer?, expected: Machine.HeadTimeoutAction) {
        var machine = Machine()
        if let longAnswer { machine.longAnswerStarted(longAnswer) }
        let r22 = machine.headTimedOut()
        #expect(r22 == expected)
        let r23 = machine.headTimedOut()
        #expect(r23 == .none)
    }

    @Test(arguments: [
        (nil as Machine.LongAnswer?, Machine.QuiesceAction.close, Machine.State.closing),
        (.blockingQuery, .answerBlockingQueryNow, .quiescing),
        (.watch, .endWatch, .closing),
    ])
    func quiesce(longAnswer: Machine.LongAnswer?, expected: Machine.QuiesceAction, state: Machine.State) {
        var machine = Machine()
        if let longAnswer { machine.longAnswerStarted(longAnswer) }
        _ = Self.request(&machine)
        let r24 = machine.quiesce()
        #expect(r24 == expected)
        #expect(machine.state == state)
        let r25 = machine.quiesce()
        #expect(r25 == .none)
        #expect(!machine.keepAlive(Self.head(), close: false), "answers after a quiesce close")
        machine.longAnswerEnded()
        let r26 = machine.next(writable: true)
        #expect(r26 == nil, "the queue was dropped")
    }

    @Test func theIdleTimeoutClosesOnlyAnIdleConnection() {
        var machine = Machine()
        machine.longAnswerStarted(.watch)
        let r27 = machine.idleTimeout()
        #expect(!r27)
        machine.longAnswerEnded()
        machine.receivedHead(Self.head())
        let r28 = machine.idleTimeout()
        #expect(!r28, "a request is being read")
        _ = machine.receivedEnd()
        _ = machine.next(writable: true)
        let r29 = machine.idleTimeout()
        #expect(r29)
        #expect(machine.state == .closing)
    }

    @Test func nothingHappensAfterTheChannelCloses() {
        var machine = Machine()
        _ = Self.request(&machine)
        machine.channelInactive()
        let r30 = machine.next(writable: true)
        #expect(r30 == nil)
        let r31 = Self.request(&machine)
        #expect(!r31)
        let r32 = machine.idleTimeout()
        #expect(!r32)
        let r33 = machine.quiesce()
        #expect(r33 == .none)
        let r34 = machine.headTimedOut()
        #expect(r34 == .none)
    }
}
