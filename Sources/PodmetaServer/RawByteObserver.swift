import NIOCore

/// Sits in front of the HTTP decoder and tells the connection handler how many bytes of a
/// request head have arrived, so the handler can enforce the header size and time limits
/// without parsing HTTP itself.
final class RawByteObserver: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let connection: HTTPConnectionHandler

    init(connection: HTTPConnectionHandler) {
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let count = unwrapInboundIn(data).readableBytes
        guard connection.willDecode(byteCount: count) else { return }
        context.fireChannelRead(data)
        connection.didDecode()
    }
}
