/// A response read by ``UnixSocketHTTPClient``.
public struct UnixSocketHTTPResponse: Sendable, Equatable {
    /// The status code (200, 404, ...).
    public var status: Int
    /// Header fields in order, names as sent.
    public var headers: [HeaderField]
    /// The body, de-chunked.
    public var body: [UInt8]

    /// One header field.
    public struct HeaderField: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(status: Int, headers: [HeaderField], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }

    /// The body as UTF-8 text (invalid bytes replaced).
    public var text: String { String(decoding: body, as: UTF8.self) }
}
