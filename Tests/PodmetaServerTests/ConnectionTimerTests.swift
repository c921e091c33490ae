import NIOCore
import NIOEmbedded
import PodmetaCore
import Testing

@testable import PodmetaServer

/// The connection's timers on virtual time: every deadline is checked to the millisecond
/// on both sides, and no test sleeps.
@Suite struct ConnectionTimerTests {
    static let head = "GET /v1/labels/app?raw HTTP/1.1\r\nHost: x\r\n\r\n"

    @Test func theHeaderTimeoutCountsFromTheFirstByte() throws {
        let connection = try EmbeddedConnection { $0.headerTimeout = .seconds(10) }
        try connection.send("GET /v1/pod HTTP/1.1\r\nHo")
        connection.advance(.seconds(6))
        try connection.send("st: x\r\nX-Slow: 1")  // progress does not extend the deadline
        connection.advance(.milliseconds(3999))
        #expect(try connection.output().isEmpty)
        #expect(connection.isOpen)
        connection.advance(.milliseconds(1))
        let answer = try connection.output()
        #expect(answer.hasPrefix("HTTP/1.1 408"), "\(answer)")
        #expect(answer.contains("connection: close"))
        #expect(!connection.isOpen)
        #expect(connection.shared.metrics.requestCount(route: "other", status: 408) == 1)
    }

    @Test func aCompleteHeadDisarmsTheHeaderTimer() throws {
        let connection = try EmbeddedConnection { $0.headerTimeout = .seconds(10) }
        try connection.send("GET /v1/labels/app?raw HTTP/1.1\r\n")
        connection.advance(.seconds(9))
        try connection.send("Host: x\r\n\r\n")
        #expect(try connection.output().hasSuffix("\r\n\r\nweb"))
        connection.advance(.seconds(60))
        #expect(try connection.output().isEmpty)
        #expect(connection.isOpen)
        // The next head gets its own ten seconds, from its own first byte.
        try connection.send("GET /healthz HTTP/1.1\r\n")
        connection.advance(.milliseconds(9999))
        #expect(try connection.output().isEmpty)
        connection.advance(.milliseconds(1))
        #expect(try connection.output().hasPrefix("HTTP/1.1 408"))
    }

    @Test func aHeaderTimeoutDuringALongAnswerCloses() throws {
        let connection = try EmbeddedConnection { $0.headerTimeout = .seconds(10) }
        try connection.send("GET /v1/pod?revision=1&wait=5m HTTP/1.1\r\nHost: x\r\n\r\nGET /v1/p")
        connection.advance(.seconds(10))
        #expect(try connection.output().isEmpty)
        #expect(!connection.isOpen)
        #expect(connection.store.waiterCount == 0)
    }

    @Test func theIdleEventClosesAnIdleConnectionOnly() throws {
        let connection = try EmbeddedConnection()
        try connection.send("GET /v1/pod?revision=1&wait=5m HTTP/1.1\r\nHost: x\r\n\r\n")
        connection.fire(IdleStateHandler.IdleStateEvent.all)
        #expect(connection.isOpen, "a blocking query is not idle")
        connection.store.publish(BlockingQueryTests.changed("2"))
        connection.loop.run()
        #expect(try connection.output().contains("x-podmeta-revision: 2"))
        connection.fire(IdleStateHandler.IdleStateEvent.read)
        #expect(connection.isOpen, "only the all-idle event closes")
        connection.fire(IdleStateHandler.IdleStateEvent.all)
        #expect(!connection.isOpen)
    }

    @Test func aBlockingQueryAnswersWhenItsWaitEnds() throws {
        let connection = try EmbeddedConnection()
        try connection.send("GET /v1/labels/app?raw&revision=1&wait=30s HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(connection.store.waiterCount == 1)
        connection.advance(.milliseconds(29999))
        #expect(try connection.output().isEmpty)
        connection.advance(.milliseconds(1))
        let answer = try connection.output()
        #expect(answer.hasPrefix("HTTP/1.1 200"))
        #expect(answer.contains("x-podmeta-revision: 1"))
        #expect(answer.hasSuffix("\r\n\r\nweb"))
        #expect(connection.store.waiterCount == 0)
        #expect(connection.isOpen)
    }

    @Test func aBlockingQueryAnswersAtThePublishAndItsTimerIsGone() throws {
        let connection = try EmbeddedConnection()
        try connection.send("GET /v1/labels/version?raw&revision=1&wait=30s HTTP/1.1\r\nHost: x\r\n\r\n")
        connection.advance(.seconds(5))
        connection.store.publish(BlockingQueryTests.changed("7"))
        connection.loop.run()
        #expect(try connection.output().hasSuffix("\r\n\r\n7"))
        connection.advance(.seconds(60))
        #expect(try connection.output().isEmpty, "the timer of an answered query fired")
    }

    @Test(arguments: ["/v1/pod?revision=40&wait=5m", "/v1/labels/app?raw&revision=2&wait=10m"])
    func aRevisionAboveTheCurrentOneAnswersAtOnce(target: String) throws {
        let connection = try EmbeddedConnection()
        try connection.send("GET \(target) HTTP/1.1\r\nHost: x\r\n\r\n")
        let answer = try connection.output()
        #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer)")
        #expect(answer.contains("x-podmeta-revision: 1"))
        #expect(connection.store.waiterCount == 0)
    }

    @Test func aRevisionAboveWithoutAnySnapshotWaitsForTheFirst() throws {
        let connection = try EmbeddedConnection(publish: nil)
        try connection.send("GET /v1/labels/app?raw&revision=40&wait=5m HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try connection.output().isEmpty)
        connection.store.publish(TestServer.sample)
        connection.loop.run()
        #expect(try connection.output().hasSuffix("\r\n\r\nweb"))
    }

    @Test func aWatchFromARevisionAboveStartsOver() throws {
        let connection = try EmbeddedConnection { $0.heartbeatInterval = .seconds(600) }
        try connection.send("GET /v1/watch?revision=40 HTTP/1.1\r\nHost: x\r\n\r\n")
        let document = JSONRenderer(style: .compact).string(TestServer.sample.document(revision: 1))
        #expect(try connection.output().contains(document))
    }

    @Test func heartbeatsFollowTheLastWrite() throws {
        let connection = try EmbeddedConnection { $0.heartbeatInterval = .seconds(15) }
        try connection.send("GET /v1/watch HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try connection.output().contains("\"revision\":1"))
        connection.advance(.milliseconds(14999))
        #expect(try connection.output().isEmpty)
        connection.advance(.milliseconds(1))
        #expect(try connection.output() == "1\r\n\n\r\n")
        connection.advance(.seconds(10))
        connection.store.publish(BlockingQueryTests.changed("2"))
        connection.loop.run()
        #expect(try connection.output().contains("\"revision\":2"))
        // The document reset the interval.
        connection.advance(.milliseconds(14999))
        #expect(try connection.output().isEmpty)
        connection.advance(.milliseconds(1))
        #expect(try connection.output() == "1\r\n\n\r\n")
    }

    /// A client that stops reading: one write stays unfinished. No heartbeat is queued
    /// behind it (before, the heartbeat re-armed itself at a time already past and the
    /// event loop spun in this very `advance`), revisions coalesce, and the client is cut
    /// off when the stall limit passes.
    @Test func aStalledWatchClientIsCutOffWithoutSpinning() throws {
        let stalled = StalledClient()
        let connection = try EmbeddedConnection(front: [stalled]) {
            $0.heartbeatInterval = .seconds(15)
            $0.stalledWriteTimeout = .seconds(30)
        }
        try connection.send("GET /v1/watch HTTP/1.1\r\nHost: x\r\n\r\n")
        let afterFirstFrame = stalled.writes
        connection.advance(.milliseconds(29999))
        for version in 2...20 { connection.store.publish(BlockingQueryTests.changed(String(version))) }
        connection.loop.run()
        #expect(stalled.writes == afterFirstFrame, "something was queued behind an unread write")
        #expect(connection.isOpen)
        connection.advance(.milliseconds(1))
        #expect(!connection.isOpen)
        #expect(connection.store.waiterCount == 0)
        #expect(connection.shared.metrics.render(storeWaiters: 0).contains(#"rejected_total{reason="stalled"} 1"#))
    }

    @Test func quiescingAnswersABlockingQueryAndCloses() throws {
        let connection = try EmbeddedConnection()
        try connection.send("GET /v1/labels/app?raw&revision=1&wait=5m HTTP/1.1\r\nHost: x\r\n\r\n")
        connection.fire(ChannelShouldQuiesceEvent())
        let answer = try connection.output()
        #expect(answer.hasPrefix("HTTP/1.1 200"))
        #expect(answer.contains("connection: close"))
        #expect(!connection.isOpen)
        #expect(connection.store.waiterCount == 0)
    }
}
