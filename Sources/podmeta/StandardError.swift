import PodmetaSystem

/// Writes diagnostics to stderr, one line each, without Foundation or stdio buffering.
enum StandardError {
    static func write(_ line: String) {
        StandardOutput.writeAll(fd: 2, Array((line.hasSuffix("\n") ? line : line + "\n").utf8))
    }

    static func warn(_ message: String) {
        write("podmeta: warning: \(message)")
    }
}
