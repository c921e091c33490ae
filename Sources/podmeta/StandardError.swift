#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Writes diagnostics to stderr, one line each, without Foundation or stdio buffering.
enum StandardError {
    static func write(_ line: String) {
        StandardOutput.writeAll(fd: 2, Array((line.hasSuffix("\n") ? line : line + "\n").utf8))
    }

    static func warn(_ message: String) {
        write("podmeta: warning: \(message)")
    }
}

/// Writes to stdout with write(2): the renderers produce bytes, and print() would buffer
/// them behind anything a child process (exec mode) writes.
enum StandardOutput {
    static func write(_ bytes: [UInt8]) {
        writeAll(fd: 1, bytes)
    }

    static func write(_ text: String) {
        writeAll(fd: 1, Array(text.utf8))
    }

    static func writeAll(fd: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, base + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += n
            }
        }
    }
}
