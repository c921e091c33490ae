import NIOCore
import PodmetaSystem
import Synchronization

/// The open connections, to count them against the cap and to quiesce them at shutdown.
final class ConnectionRegistry: Sendable {
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

    /// Registers `channel` until it closes; returns the number of open connections with it.
    func add(_ channel: any Channel, onClose: @escaping @Sendable () -> Void) -> Int {
        let id = ObjectIdentifier(channel)
        let count = channels.withLock { channels in
            channels[id] = channel
            return channels.count
        }
        channel.closeFuture.whenComplete { [self] _ in
            channels.withLock { _ = $0.removeValue(forKey: id) }
            onClose()
        }
        return count
    }

    var count: Int { channels.withLock { $0.count } }

    /// Asks every connection to finish its current answer and close, waits up to
    /// `gracePeriod`, then closes what is left.
    func quiesce(gracePeriod: Duration) async {
        let open = channels.withLock { Array($0.values) }
        guard !open.isEmpty else { return }
        for channel in open {
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
        let loop = open[0].eventLoop
        let grace = loop.scheduleTask(in: .nanoseconds(gracePeriod.saturatingNanoseconds)) {
            for channel in open { channel.close(promise: nil) }
        }
        try? await EventLoopFuture.andAllComplete(open.map(\.closeFuture), on: loop).get()
        grace.cancel()
    }
}
