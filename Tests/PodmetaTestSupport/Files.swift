import Glibc
import PodmetaSystem

/// File-system helpers for setting up and asserting: a failure to set up stops the test
/// with the errno text; a failure to read answers nil.
package enum Files {
    package static func read(_ path: String) -> [UInt8]? { try? Posix.readFile(path) }

    package static func readText(_ path: String) -> String? {
        read(path).map { String(decoding: $0, as: UTF8.self) }
    }

    package static func link(_ path: String) -> String? { (try? Posix.readLinkIfPresent(path)) ?? nil }

    package static func info(_ path: String) -> stat? { (try? Posix.lstatIfPresent(path)) ?? nil }

    package static func exists(_ path: String) -> Bool { info(path) != nil }

    package static func inode(_ path: String) -> UInt64? { info(path).map { UInt64($0.st_ino) } }

    package static func list(_ path: String) -> [String] { (try? Posix.listDirectory(path)) ?? [] }

    package static func write(_ path: String, _ text: String, mode: mode_t = 0o644) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        precondition(fd >= 0, "open \(path): \(ErrnoValue.current)")
        try? Posix.writeAll(fd, Array(text.utf8))
        fchmod(fd, mode)
        close(fd)
    }

    package static func append(_ path: String, _ text: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        precondition(fd >= 0, "open \(path): \(ErrnoValue.current)")
        try? Posix.writeAll(fd, Array(text.utf8))
        close(fd)
    }

    package static func mkdir(_ path: String) {
        try? Posix.makeDirectories(path, mode: 0o755)
    }

    package static func rename(_ from: String, _ to: String) {
        precondition(Glibc.rename(from, to) == 0, "rename \(from) \(to): \(ErrnoValue.current)")
    }

    package static func removeTree(_ path: String) {
        try? Posix.removeTree(path)
    }
}

/// The payload bytes of a text map (a kubelet volume's files by name).
package func payload(_ items: [String: String]) -> [String: [UInt8]] {
    items.mapValues { Array($0.utf8) }
}
