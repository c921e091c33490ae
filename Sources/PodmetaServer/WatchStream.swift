import NIOCore
import PodmetaCore
import PodmetaState

/// The body of a `/v1/watch` answer: the newest document each time the revision moves,
/// and a heartbeat when nothing was written for a while, so clients notice a dead agent.
///
/// A slow client costs only itself. At most one write (a frame or a heartbeat) is ever
/// unfinished: revisions published meanwhile are coalesced into the newest one, sent when
/// that write completes (a watcher wants the current state, not history). A write the
/// client leaves unread for `stallTimeout` cuts the client off. The heartbeat is armed
/// from the completion of the last write, so it never fires for a time already past.
///
/// It owns its store waiter and both timers, and releases them however it ends. Lives on
/// one event loop.
final class WatchStream {
    enum Format {
        case ndjson
        case serverSentEvents
    }

    /// Where the stream writes; the connection handler, or a test.
    struct Sink {
        /// Writes and flushes one body part.
        var write: (ByteBuffer) -> EventLoopFuture<Void>
        /// The client did not read in time, or a write failed: close the connection.
        var cutOff: (_ reason: CutOff) -> Void
    }

    enum CutOff: Equatable {
        case stalled
        case writeFailed
    }

    let format: Format
    private let store: SnapshotStore
    private let renderings: SnapshotRenderings
    private let eventLoop: any EventLoop
    private let heartbeatInterval: TimeAmount
    private let stallTimeout: TimeAmount
    private let sink: Sink

    private var lastSent: UInt64
    private var waiter: SnapshotStore.WaiterID?
    private var heartbeat: Scheduled<Void>?
    /// Armed while a write is unfinished.
    private var stall: Scheduled<Void>?
    private var writing = false
    private var ended = false

    init(
        format: Format, after revision: UInt64, store: SnapshotStore, renderings: SnapshotRenderings,
        eventLoop: any EventLoop, heartbeatInterval: TimeAmount, stallTimeout: TimeAmount, sink: Sink
    ) {
        self.format = format
        self.lastSent = revision
        self.store = store
        self.renderings = renderings
        self.eventLoop = eventLoop
        self.heartbeatInterval = heartbeatInterval
        self.stallTimeout = stallTimeout
        self.sink = sink
    }

    /// Sends the current document if it is newer than the revision the client has, then
    /// follows the store.
    func start() {
        eventLoop.assertInEventLoop()
        sendLatestOrWait()
        if !writing { armHeartbeat() }
    }

    /// Releases the waiter and the timers; nothing more is written.
    func end() {
        ended = true
        heartbeat?.cancel()
        heartbeat = nil
        stall?.cancel()
        stall = nil
        if let waiter {
            store.cancel(waiter)
            self.waiter = nil
        }
    }

    private func sendLatestOrWait() {
        guard !ended, !writing else { return }
        if let published = store.current, published.revision > lastSent {
            lastSent = published.revision
            send(frame(published))
        } else if waiter == nil {
            let loop = eventLoop
            let bound = NIOLoopBound(self, eventLoop: loop)
            waiter = store.onRevision(after: lastSent) { _ in
                loop.execute {
                    bound.value.waiter = nil
                    bound.value.sendLatestOrWait()
                }
            }
        }
    }

    private func send(_ buffer: ByteBuffer) {
        writing = true
        heartbeat?.cancel()
        heartbeat = nil
        stall = eventLoop.assumeIsolated().scheduleTask(in: stallTimeout) { [self] in
            stall = nil
            guard !ended else { return }
            end()
            sink.cutOff(.stalled)
        }
        sink.write(buffer).assumeIsolated().whenComplete { [self] result in
            writing = false
            stall?.cancel()
            stall = nil
            guard !ended else { return }
            switch result {
            case .success:
                sendLatestOrWait()
                if !writing { armHeartbeat() }
            case .failure:
                end()
                sink.cutOff(.writeFailed)
            }
        }
    }

    private func armHeartbeat() {
        guard !ended else { return }
        heartbeat?.cancel()
        heartbeat = eventLoop.assumeIsolated().scheduleTask(in: heartbeatInterval) { [self] in
            heartbeat = nil
            guard !ended, !writing else { return }
            send(format == .ndjson ? ByteBuffer(string: "\n") : ByteBuffer(string: ": heartbeat\n\n"))
        }
    }

    private func frame(_ published: PublishedSnapshot) -> ByteBuffer {
        switch format {
        case .ndjson:
            return renderings.body("watch.ndjson", of: published) {
                JSONRenderer(style: .compact).render(published.snapshot.document(revision: published.revision)) + [0x0A]
            }
        case .serverSentEvents:
            return renderings.body("watch.sse", of: published) {
                Array("id: \(published.revision)\nevent: snapshot\ndata: ".utf8)
                    + JSONRenderer(style: .compact).render(published.snapshot.document(revision: published.revision))
                    + Array("\n\n".utf8)
            }
        }
    }
}
