import Glibc
import PodmetaSystem

/// Feeds a child's stdin and collects its captured output on one helper thread with poll(2).
/// That thread has SIGPIPE blocked (`SIGPIPEShield`), so feeding a child that is gone is EPIPE.
///
/// It stops when the child exits (the waiter thread writes to `exitNotice`), not at
/// end-of-file: a background grandchild may hold the pipes open forever, and must not keep
/// us waiting. Output already in the pipes at exit is drained first.
struct ChildIOPump: Sendable {
    var standardInput: Int32
    var payload: [UInt8]
    var standardOutput: Int32
    var outputLimit: Int
    /// Set when standard output goes to a line sink instead of memory.
    var outputLines: OutputLineSink?
    var standardError: Int32
    var errorLimit: Int
    var errorLines: OutputLineSink?
    /// Read end of a pipe that becomes readable once the child has exited.
    var exitNotice: Int32

    private struct Sink {
        var fd: Int32
        var limit: Int
        var bytes: [UInt8] = []
        var truncated = false
        let lineSink: OutputLineSink?
        var splitter: LineSplitter

        init(fd: Int32, limit: Int, lines: OutputLineSink?) {
            self.fd = fd
            self.limit = limit
            self.lineSink = lines
            self.splitter = LineSplitter(maximumLength: lines?.maximumLineLength ?? 1)
        }

        /// Reads what is available; returns false once the stream is finished.
        mutating func read(into buffer: inout [UInt8]) -> Bool {
            while true {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if count > 0, let lineSink {
                    splitter.feed(buffer[0..<count]) { lineSink.emit($0, truncated: $1) }
                    continue
                }
                if count > 0 {
                    let room = max(0, limit - bytes.count)
                    bytes.append(contentsOf: buffer[0..<min(room, count)])
                    if count > room { truncated = true }
                    continue
                }
                if count < 0, errno == EINTR { continue }
                if count < 0, errno == EAGAIN || errno == EWOULDBLOCK { return true }
                LinuxSystemCalls.close(fd)
                fd = -1
                finishLines()
                return false
            }
        }

        /// Delivers a last line without a newline; idempotent.
        mutating func finishLines() {
            guard let lineSink else { return }
            splitter.finish { lineSink.emit($0, truncated: $1) }
        }
    }

    func run() -> CapturedOutput {
        var input = standardInput
        var written = 0
        var sinks = [
            Sink(fd: standardOutput, limit: outputLimit, lines: outputLines),
            Sink(fd: standardError, limit: errorLimit, lines: errorLines),
        ]
        var buffer = [UInt8](repeating: 0, count: 65536)
        if input >= 0, payload.isEmpty {
            LinuxSystemCalls.close(input)
            input = -1
        }
        var exited = false
        while !exited {
            var fds: [pollfd] = [pollfd(fd: exitNotice, events: Int16(POLLIN), revents: 0)]
            if input >= 0 { fds.append(pollfd(fd: input, events: Int16(POLLOUT), revents: 0)) }
            for sink in sinks where sink.fd >= 0 { fds.append(pollfd(fd: sink.fd, events: Int16(POLLIN), revents: 0)) }
            let ready = poll(&fds, nfds_t(fds.count), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            for entry in fds where entry.revents != 0 {
                if entry.fd == exitNotice {
                    exited = true
                } else if entry.fd == input {
                    let count = payload.withUnsafeBytes { write(input, $0.baseAddress! + written, $0.count - written) }
                    if count > 0 { written += count }
                    let retry = count < 0 && (errno == EAGAIN || errno == EINTR)
                    // Done, or the child closed its end (EPIPE): either way stdin is finished.
                    if written == payload.count || (count < 0 && !retry) {
                        LinuxSystemCalls.close(input)
                        input = -1
                    }
                } else if let index = sinks.firstIndex(where: { $0.fd == entry.fd }) {
                    _ = sinks[index].read(into: &buffer)
                }
            }
        }
        LinuxSystemCalls.close(input)
        for index in sinks.indices where sinks[index].fd >= 0 {
            _ = sinks[index].read(into: &buffer)
            LinuxSystemCalls.close(sinks[index].fd)
            sinks[index].finishLines()
        }
        LinuxSystemCalls.close(exitNotice)
        return CapturedOutput(
            standardOutput: sinks[0].bytes, standardError: sinks[1].bytes,
            standardOutputTruncated: sinks[0].truncated, standardErrorTruncated: sinks[1].truncated)
    }
}
