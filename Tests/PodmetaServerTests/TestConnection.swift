import Glibc
import PodmetaSystem

@testable import PodmetaServer

/// A raw client connection for tests that need control over bytes and timing: keep-alive,
/// pipelining, slow clients, streams.
final class TestConnection {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let fd: CInt
    private var buffer: [UInt8] = []

    init(path: String, receiveTimeout: Int = 10) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var limit = timeval(tv_sec: receiveTimeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        let code = UnixSocketAddress.withAddress(path) { connect(fd, $0, $1) == 0 ? 0 : errno } ?? ENAMETOOLONG
        if code != 0 {
            close(fd)
            throw Failure(description: "connect: \(ErrnoValue(code))")
        }
    }

    deinit { close(fd) }

    /// Sends bytes; false when the peer has closed.
    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }

    /// Reads more bytes into the buffer; false at end of stream (or reset).
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n > 0 {
                buffer.append(contentsOf: chunk[0..<n])
                return true
            }
            if n == 0 { return false }
            if errno == EINTR { continue }
            if errno == ECONNRESET { return false }
            throw Failure(description: "recv: \(ErrnoValue(errno))")
        }
    }

    /// Reads one response with a Content-Length body (none for HEAD, 304 and streams' heads).
    func readResponse(head isHead: Bool = false) throws -> UnixSocketHTTPResponse {
        let headEnd = try readHead()
        var response = try UnixSocketHTTPClient.parse(Array(buffer[..<(headEnd + 4)]), isHead: true, path: "test")
        buffer.removeFirst(headEnd + 4)
        if isHead || response.status == 304 { return response }
        let length = Int(response.header("content-length") ?? "0") ?? 0
        while buffer.count < length {
            guard try fill() else { throw Failure(description: "closed inside a body") }
        }
        response.body = Array(buffer[..<length])
        buffer.removeFirst(length)
        return response
    }

    /// Reads a response head only (for streams).
    func readStreamHead() throws -> UnixSocketHTTPResponse {
        let headEnd = try readHead()
        let response = try UnixSocketHTTPClient.parse(Array(buffer[..<(headEnd + 4)]), isHead: true, path: "test")
        buffer.removeFirst(headEnd + 4)
        return response
    }

    private func readHead() throws -> Int {
        while true {
            if let end = UnixSocketHTTPClient.firstIndex(of: [13, 10, 13, 10], in: buffer, from: 0) { return end }
            guard try fill() else { throw Failure(description: "closed before a complete response head") }
        }
    }

    /// Reads one chunk of a chunked body; nil for the terminal chunk.
    func readChunk() throws -> [UInt8]? {
        while true {
            if let lineEnd = UnixSocketHTTPClient.firstIndex(of: [13, 10], in: buffer, from: 0) {
                let size = Int(String(decoding: buffer[..<lineEnd], as: UTF8.self), radix: 16) ?? -1
                guard size >= 0 else { throw Failure(description: "bad chunk size") }
                if size == 0 {
                    buffer.removeFirst(lineEnd + 2)
                    return nil
                }
                if buffer.count >= lineEnd + 2 + size + 2 {
                    let data = Array(buffer[(lineEnd + 2)..<(lineEnd + 2 + size)])
                    buffer.removeFirst(lineEnd + 2 + size + 2)
                    return data
                }
            }
            guard try fill() else { throw Failure(description: "closed inside a chunked body") }
        }
    }

    /// Whether the peer closes the connection (reads until end of stream, discarding).
    func waitForClose() throws -> Bool {
        while try fill() {}
        return true
    }

    /// Everything until the peer closes.
    func readToEnd() throws -> [UInt8] {
        while try fill() {}
        defer { buffer.removeAll() }
        return buffer
    }
}
