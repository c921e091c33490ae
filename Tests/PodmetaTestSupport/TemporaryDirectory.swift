import Glibc
import PodmetaSystem

/// A fresh directory under /tmp, removed with everything in it by `remove()` or, at the
/// latest, when the last reference goes away.
package final class TemporaryDirectory: Sendable {
    package let path: String

    package init(_ label: String = "podmeta-test") {
        do {
            path = try Posix.makeTemporaryDirectory(in: "/tmp", prefix: label)
        } catch {
            preconditionFailure("mkdtemp under /tmp failed: \(error)")
        }
    }

    /// The path of `name` inside this directory.
    package func sub(_ name: String) -> String { path + "/" + name }

    /// Writes `text` to `name` with permission bits `mode` (applied even to an existing file).
    package func write(_ name: String, _ text: String, mode: mode_t = 0o644) {
        Files.write(sub(name), text, mode: mode)
    }

    /// The bytes of `name`, nil when it does not exist.
    package func read(_ name: String) -> [UInt8]? { Files.read(sub(name)) }

    package func text(_ name: String) -> String? { Files.readText(sub(name)) }

    package func exists(_ name: String) -> Bool { Files.exists(sub(name)) }

    /// Removes the directory and everything in it now; idempotent.
    package func remove() { Files.removeTree(path) }

    deinit {
        try? Posix.removeTree(path)
    }
}
