// Stands in for SwiftNIO's NIOHTTP1 when scripts/fuzz.sh compiles the server's request
// parsing files (RequestTarget, QueryOptions, Route, RequestError) without building NIO:
// those files only need a status value. Building NIO with the fuzzer's instrumentation
// would take minutes of CI for code NIO fuzzes itself.
public struct HTTPResponseStatus: Sendable, Equatable, Hashable {
    public let code: UInt
    public init(statusCode: Int) { code = UInt(statusCode) }

    public static let badRequest = HTTPResponseStatus(statusCode: 400)
    public static let notFound = HTTPResponseStatus(statusCode: 404)
    public static let methodNotAllowed = HTTPResponseStatus(statusCode: 405)
    public static let notAcceptable = HTTPResponseStatus(statusCode: 406)
    public static let payloadTooLarge = HTTPResponseStatus(statusCode: 413)
    public static let uriTooLong = HTTPResponseStatus(statusCode: 414)
    public static let requestHeaderFieldsTooLarge = HTTPResponseStatus(statusCode: 431)
    public static let serviceUnavailable = HTTPResponseStatus(statusCode: 503)
}
