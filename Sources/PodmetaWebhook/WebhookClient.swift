import NIOCore
import NIOHTTP1
import NIOPosix
import PodmetaSystem

/// One HTTP/1.1 request per connection (`Connection: close`) with SwiftNIO's client
/// pipeline. Webhooks fire rarely; a connection pool would only hold sockets open to the
/// app for nothing.
struct WebhookClient: Sendable {
    /// Created on first use, so an agent without webhooks starts no thread for them. One
    /// thread: requests are rare, small, and never concurrent per hook.
    static let sharedGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    var group: any EventLoopGroup = WebhookClient.sharedGroup

    struct Request: Sendable {
        var target: WebhookTarget
        var method: HTTPMethod
        var headers: [(String, String)]
        var body: [UInt8]
    }

    /// Sends `request` and waits for the complete answer, at most `timeout` (connection
    /// included). Cancellation closes the connection.
    func send(_ request: Request, timeout: Duration) async -> Result<WebhookResponse, WebhookFailure> {
        let loop = group.next()
        let promise = loop.makePromise(of: WebhookResponse.self)
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(TimeAmount(timeout))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(WebhookResponseHandler(promise: promise))
                }
            }
        let timer = loop.scheduleTask(in: TimeAmount(timeout)) { promise.fail(WebhookFailure.timeout(timeout)) }
        let connection: EventLoopFuture<any Channel> =
            switch request.target.endpoint {
            case .host(let host, let port): bootstrap.connect(host: host, port: port)
            case .unixSocket(let path): bootstrap.connect(unixDomainSocketPath: path)
            }
        connection.whenComplete { result in
            switch result {
            case .failure(let error):
                promise.fail(WebhookFailure.connect("\(error)"))
            case .success(let channel):
                promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
                var head = HTTPRequestHead(version: .http1_1, method: request.method, uri: request.target.path)
                head.headers.add(name: "Host", value: request.target.hostHeader)
                head.headers.add(name: "User-Agent", value: "podmeta")
                head.headers.add(name: "Connection", value: "close")
                head.headers.add(name: "Content-Length", value: "\(request.body.count)")
                for (name, value) in request.headers { head.headers.replaceOrAdd(name: name, value: value) }
                channel.write(HTTPClientRequestPart.head(head), promise: nil)
                channel.write(
                    HTTPClientRequestPart.body(.byteBuffer(channel.allocator.buffer(bytes: request.body))),
                    promise: nil)
                channel.writeAndFlush(HTTPClientRequestPart.end(nil)).whenFailure { error in
                    promise.fail(WebhookFailure.transport("\(error)"))
                }
            }
        }
        let result = await withTaskCancellationHandler {
            do {
                return Result<WebhookResponse, WebhookFailure>.success(try await promise.futureResult.get())
            } catch let failure as WebhookFailure {
                return .failure(failure)
            } catch {
                return .failure(.transport("\(error)"))
            }
        } onCancel: {
            promise.fail(WebhookFailure.cancelled)
        }
        timer.cancel()
        return result
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        self = .nanoseconds(max(1, duration.saturatingNanoseconds))
    }
}
