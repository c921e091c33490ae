import NIOHTTP1

/// A request the server answers with an error status and `{"error": message}`.
struct RequestError: Error, Sendable, Equatable, CustomStringConvertible {
    var status: HTTPResponseStatus
    var message: String

    init(_ status: HTTPResponseStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    var description: String { "\(status.code) \(message)" }
}
