import Glibc
import PodmetaSystem

/// A tiny blocking HTTP/1.1 client over a Unix domain socket, for one-shot commands
/// (`podmeta get`, `podmeta health`) that should not start an event loop.
///
/// One request per connection (`Connection: close`); the answer is read to the end.
public struct UnixSocketHTTPClient: Sendable {
    /// The socket to connect to.
    public var path: String
    /// The longest the whole exchange may take per system call (connect, send, each read).
    public var timeout: Duration
    /// Larger answers are refused.
    public var maxResponseBytes = 64 << 20

    public init(path: String, timeout: Duration = .seconds(5)) {
        self.path = path
        self.timeout = timeout
    }

    /// Sends one request and reads its answer.
    ///
    /// - Parameters:
    ///   - target: the request target, e.g. `/v1/labels/app?raw` (the caller encodes it).
    ///   - method: `GET` or `HEAD`.
    ///   - headers: extra header fields.
    public func request(
        _ target: String, method: String = "GET", headers: [(String, String)] = []
    ) throws(UnixSocketHTTPClientError) -> UnixSocketHTTPResponse {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw failure(.failed, "socket", errno) }
        defer { close(fd) }
        var limit = timeout.socketTimeout
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))

        guard let connected = UnixSocketAddress.withAddress(path, { connect(fd, $0, $1) == 0 ? 0 : errno }) else {
            throw UnixSocketHTTPClientError(
                path: path, kind: .failed, reason: "the path is longer than \(UnixSocketAddress.maxPathBytes) bytes")
        }
        switch connected {
        case 0: break
        case ENOENT, ECONNREFUSED: throw failure(.unreachable, "connect", connected)
        case EACCES, EPERM: throw failure(.permissionDenied, "connect", connected)
        case EAGAIN, EINPROGRESS, ETIMEDOUT: throw failure(.timeout, "connect", connected)
        default: throw failure(.failed, "connect", connected)
        }

        var text = "\(method) \(target) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        text += "\r\n"
        try sendAll(Array(text.utf8), fd)
        let raw = try receiveAll(fd)
        return try UnixSocketHTTPClient.parse(raw, isHead: method == "HEAD", path: path)
    }

    private func sendAll(_ bytes: [UInt8], _ fd: CInt) throws(UnixSocketHTTPClientError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                // The server may answer and close before reading everything (e.g. when it
                // refuses the connection); its answer is still readable.
                if errno == EPIPE || errno == ECONNRESET { return }
                throw failure(errno == EAGAIN ? .timeout : .failed, "send", errno)
            }
            offset += n
        }
    }

    private func receiveAll(_ fd: CInt) throws(UnixSocketHTTPClientError) -> [UInt8] {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n == 0 { return received }
            if n < 0 {
                if errno == EINTR { continue }
                // A reset after a complete answer (the server closed with our bytes unread).
                if errno == ECONNRESET, !received.isEmpty { return received }
                throw failure(errno == EAGAIN ? .timeout : .failed, "read", errno)
            }
            received.append(contentsOf: chunk[0..<n])
            if received.count > maxResponseBytes {
                throw UnixSocketHTTPClientError(
                    path: path, kind: .failed, reason: "the answer exceeds \(maxResponseBytes) bytes")
            }
        }
    }

    private func failure(_ kind: UnixSocketHTTPClientError.Kind, _ call: String, _ code: Int32)
        -> UnixSocketHTTPClientError
    {
        UnixSocketHTTPClientError(
            path: path, kind: kind, reason: "\(call) failed: \(ErrnoValue(code))")
    }

    /// Parses a complete response read to the end of the connection.
    static func parse(_ raw: [UInt8], isHead: Bool, path: String) throws(UnixSocketHTTPClientError)
        -> UnixSocketHTTPResponse
    {
        func malformed(_ why: String) -> UnixSocketHTTPClientError {
            UnixSocketHTTPClientError(path: path, kind: .failed, reason: "malformed answer: \(why)")
        }
        guard let headEnd = firstIndex(of: [13, 10, 13, 10], in: raw, from: 0) else {
            throw malformed(raw.isEmpty ? "the server closed the connection without answering" : "incomplete header")
        }
        let lines = String(decoding: raw[..<headEnd], as: UTF8.self).split(
            separator: "\r\n", omittingEmptySubsequences: false)
        let statusParts = lines[0].split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            throw malformed("bad status line \"\(lines[0])\"")
        }
        var headers: [UnixSocketHTTPResponse.HeaderField] = []
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { throw malformed("bad header line \"\(line)\"") }
            headers.append(
                .init(name: String(line[..<colon]), value: String(line[line.index(after: colon)...].trimmingSpaces())))
        }
        var response = UnixSocketHTTPResponse(status: status, headers: headers, body: [])
        let rest = Array(raw[(headEnd + 4)...])
        if isHead || status == 204 || status == 304 { return response }
        if response.header("transfer-encoding")?.lowercased().contains("chunked") == true {
            response.body = try dechunk(rest, malformed)
        } else if let lengthText = response.header("content-length") {
            guard let length = Int(lengthText), length <= rest.count else {
                throw malformed("the body is shorter than its Content-Length")
            }
            response.body = Array(rest[..<length])
        } else {
            response.body = rest
        }
        return response
    }

    private static func dechunk(
        _ bytes: [UInt8], _ malformed: (String) -> UnixSocketHTTPClientError
    ) throws(UnixSocketHTTPClientError) -> [UInt8] {
        var body: [UInt8] = []
        var index = 0
        while true {
            guard let lineEnd = firstIndex(of: [13, 10], in: bytes, from: index) else {
                throw malformed("incomplete chunk")
            }
            let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingSpaces(), radix: 16) else { throw malformed("bad chunk size") }
            index = lineEnd + 2
            if size == 0 { return body }
            guard index + size <= bytes.count else { throw malformed("incomplete chunk") }
            body.append(contentsOf: bytes[index..<(index + size)])
            index += size + 2
        }
    }

    static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        for i in start...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }
}
