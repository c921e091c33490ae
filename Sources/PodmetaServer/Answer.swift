import NIOCore
import NIOHTTP1
import PodmetaCore

/// A complete (non-streamed) answer: status, content and extra headers.
struct Answer: Sendable {
    var status: HTTPResponseStatus
    var contentType: String
    var body: ByteBuffer
    var headers: [(String, String)] = []

    static let jsonType = "application/json"
    static let textType = "text/plain; charset=utf-8"

    /// `{"error": message}` with `status`.
    static func error(_ status: HTTPResponseStatus, _ message: String) -> Answer {
        Answer(status: status, contentType: jsonType, body: json(.object(["error": .string(message)])))
    }

    static func error(_ error: RequestError) -> Answer {
        var answer = Answer.error(error.status, error.message)
        // RFC 9110: a 405 says which methods are allowed.
        if error.status == .methodNotAllowed { answer.headers.append(("allow", "GET, HEAD")) }
        return answer
    }

    /// Pretty JSON, as the document file is written, ending with a newline.
    static func json(_ value: JSONValue) -> ByteBuffer {
        ByteBuffer(bytes: JSONRenderer(style: .pretty).render(value))
    }
}
