import Glibc
import PodmetaSystem

/// Finds the inotify descriptor libinotifytools opened.
///
/// The library keeps it in a `static int` and exports no getter (3.22 has no
/// `inotifytools_get_inotify_fd`), but the watcher must poll(2) it next to its shutdown
/// eventfd. The kernel tells us which descriptors are inotify instances
/// (`/proc/self/fd/N -> anon_inode:inotify`) and which inodes each one watches
/// (`/proc/self/fdinfo/N`: `inotify wd:1 ino:2a1 ...`). The watcher lists the inotify
/// descriptors before inotifytools_initialize(), adds its single watch, and takes the one
/// new descriptor that watches that inode under that watch descriptor.
enum InotifyDescriptorLocator {
    /// Every open inotify descriptor of this process.
    static func inotifyDescriptors() -> Set<Int32> {
        guard let names = try? Posix.listDirectory("/proc/self/fd") else { return [] }
        var result: Set<Int32> = []
        for name in names {
            guard let fd = Int32(name) else { continue }
            if (try? Posix.readLink("/proc/self/fd/" + name)) == "anon_inode:inotify" { result.insert(fd) }
        }
        return result
    }

    /// The inotify descriptor, not in `excluding`, that has watch `wd` on inode `inode`.
    static func locate(excluding: Set<Int32>, wd: Int32, inode: UInt64) -> Int32? {
        let candidates = inotifyDescriptors().subtracting(excluding)
        let matching = candidates.filter { fd in
            watches(ofDescriptor: fd).contains { $0.wd == wd && $0.inode == inode }
        }
        if matching.count == 1 { return matching.first }
        // fdinfo can be unreadable (hardened /proc); a single new inotify descriptor is
        // still unambiguous.
        if matching.isEmpty && candidates.count == 1 { return candidates.first }
        return nil
    }

    /// The `(wd, inode)` pairs of `/proc/self/fdinfo/N`.
    static func watches(ofDescriptor fd: Int32) -> [(wd: Int32, inode: UInt64)] {
        guard let bytes = try? Posix.readFile("/proc/self/fdinfo/\(fd)", limit: 1 << 20) else { return [] }
        return parseFDInfo(String(decoding: bytes, as: UTF8.self))
    }

    /// Parses `inotify wd:1 ino:2a1 sdev:800001 mask:... ` lines (hexadecimal numbers).
    static func parseFDInfo(_ text: String) -> [(wd: Int32, inode: UInt64)] {
        var result: [(wd: Int32, inode: UInt64)] = []
        for line in text.split(separator: "\n") where line.hasPrefix("inotify ") {
            var wd: Int32?
            var inode: UInt64?
            for field in line.split(separator: " ") {
                if field.hasPrefix("wd:") { wd = Int32(field.dropFirst(3), radix: 16) }
                if field.hasPrefix("ino:") { inode = UInt64(field.dropFirst(4), radix: 16) }
            }
            if let wd, let inode { result.append((wd, inode)) }
        }
        return result
    }
}
