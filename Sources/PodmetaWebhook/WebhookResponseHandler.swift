import NIOCore
import NIOHTTP1

/// Completes the request's promise with the response's status once the whole response
/// has arrived (the body is read and its first bytes kept for the log), or fails it when
/// the connection ends first.
final class WebhookResponseHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let promise: EventLoopPromise<WebhookResponse>
    private var status: Int?
    private var body: [UInt8] = []

    init(promise: EventLoopPromise<WebhookResponse>) {
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
        case .body(var buffer):
            let room = WebhookResponse.bodyLimit - body.count
            if room > 0, let bytes = buffer.readBytes(length: min(room, buffer.readableBytes)) {
                body.append(contentsOf: bytes)
            }
        case .end:
            if let status { promise.succeed(WebhookResponse(status: status, body: body)) }
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(WebhookFailure.connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(WebhookFailure.transport("\(error)"))
        context.close(promise: nil)
    }
}

/// The part of an answer a webhook run logs.
struct WebhookResponse: Sendable, Hashable {
    static let bodyLimit = 512

    var status: Int
    /// The first bytes of the body, quoted when the status is not the expected one.
    var body: [UInt8]
}

/// Why an attempt got no answer.
enum WebhookFailure: Error, Sendable, Hashable, CustomStringConvertible {
    case connect(String)
    case transport(String)
    case connectionClosed
    case timeout(Duration)
    case cancelled

    var description: String {
        switch self {
        case .connect(let reason): "cannot connect: \(reason)"
        case .transport(let reason): "the connection failed: \(reason)"
        case .connectionClosed: "the server closed the connection before a complete answer"
        case .timeout(let limit): "no answer within \(limit)"
        case .cancelled: "abandoned at shutdown"
        }
    }
}
