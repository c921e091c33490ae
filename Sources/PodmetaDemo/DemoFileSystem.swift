import Glibc
import PodmetaSystem

/// The demo's file operations: PodmetaSystem's, with the path and the operation in the
/// error so that a failed setup explains itself in one sentence.
enum DemoFileSystem {
    /// A new directory only this user can enter, under `$TMPDIR` (or /tmp).
    static func makeTemporaryDirectory(prefix: String) throws(DemoError) -> String {
        var base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        if base.isEmpty { base = "/tmp" }
        while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        do {
            return try Posix.makeTemporaryDirectory(in: base, prefix: prefix)
        } catch {
            throw DemoError("cannot create a temporary directory in \(base): \(error)")
        }
    }

    /// `mkdir -p`.
    static func makeDirectories(_ path: String) throws(DemoError) {
        do {
            try Posix.makeDirectories(path, mode: 0o755)
        } catch {
            throw DemoError("cannot create the directory \(path): \(error)")
        }
        guard Posix.isDirectory(path) else { throw DemoError("\(path) exists and is not a directory") }
    }

    /// The names in `path` other than `.` and `..`; empty when it cannot be read.
    static func list(_ path: String) -> [String] { (try? Posix.listDirectory(path)) ?? [] }

    /// The whole file, or nil when it is missing or unreadable.
    static func read(_ path: String) -> [UInt8]? { try? Posix.readFile(path) }

    /// Creates `path` empty, or empties it.
    static func truncate(_ path: String) throws(DemoError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw DemoError("cannot create \(path): \(ErrnoValue.current)") }
        close(fd)
    }

    /// `rm -rf path` without following symlinks.
    static func removeTree(_ path: String) throws(DemoError) {
        do {
            try Posix.removeTree(path)
        } catch {
            throw DemoError("cannot remove \(path): \(error)")
        }
    }

    /// A symlink's target text.
    static func readLink(_ path: String) throws(DemoError) -> String {
        do {
            return try Posix.readLink(path)
        } catch {
            throw DemoError("cannot read the link \(path): \(error)")
        }
    }

    /// `path` made absolute against the working directory, without resolving symlinks.
    static func absolute(_ path: String) -> String { PathNames.absolute(path) }
}
