/// Writes to stdout (or another inherited descriptor) with write(2): the renderers produce
/// bytes, and print() would buffer them behind anything a child process (exec mode) writes.
/// A closed or broken stream is not an error here: there is nobody left to tell.
package enum StandardOutput {
    package static func write(_ bytes: [UInt8]) {
        writeAll(fd: 1, bytes)
    }

    package static func write(_ text: String) {
        writeAll(fd: 1, Array(text.utf8))
    }

    package static func writeAll(fd: Int32, _ bytes: [UInt8]) {
        try? Posix.writeAll(fd, bytes)
    }
}
