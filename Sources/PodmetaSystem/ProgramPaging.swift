import Glibc

/// How the kernel reads the program's own files (the binary and its shared libraries) from
/// disk: pages not touched yet, and pages reclaimed under the container's memory limit.
///
/// A page fault in a file mapping reads a whole read-ahead window around the page into the
/// page cache (the disk's `read_ahead_kb`: 128 KB by default, 8 MB on some cloud disks), and
/// a container is charged for what it reads. For a program's code that window is mostly
/// code that will never run: in a container limited close to its working set, each fault
/// evicted more than it brought in, and the agent livelocked in page faults at limits it
/// otherwise lives in (BENCHMARKS.md, "How the memory limit was found").
package enum ProgramPaging {
    /// One mapping of a file, from /proc/self/maps.
    package struct FileMapping: Equatable, Sendable {
        package var start: UInt
        package var length: UInt
        package var path: String

        package init(start: UInt, length: UInt, path: String) {
            self.start = start
            self.length = length
            self.path = path
        }
    }

    /// Tells the kernel that the process's file mappings are read at random (madvise
    /// `MADV_RANDOM`): a later fault in them reads the page it needs, not a window around
    /// it. A long-running process calls it early, once the first faults have read the
    /// start of its code (laid out first, see scripts/build-release.sh). Advice only: a
    /// mapping the kernel refuses it for is left as it was.
    ///
    /// - Returns: how many mappings took the advice.
    @discardableResult
    package static func adviseRandomAccess() -> Int {
        guard let bytes = try? Posix.readFile("/proc/self/maps") else { return 0 }
        var advised = 0
        for mapping in fileMappings(String(decoding: bytes, as: UTF8.self)) {
            guard let address = UnsafeMutableRawPointer(bitPattern: mapping.start) else { continue }
            if madvise(address, Int(mapping.length), MADV_RANDOM) == 0 { advised += 1 }
        }
        return advised
    }

    /// The mappings of files in /proc/PID/maps text (`start-end perms offset dev inode path`):
    /// a path that is absolute and an inode other than 0; anonymous memory, the heap, the
    /// stacks and the kernel's `[vdso]` are left out.
    package static func fileMappings(_ maps: String) -> [FileMapping] {
        maps.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6, fields[4] != "0" else { return nil }
            let path = fields[5].drop(while: { $0 == " " })
            guard path.hasPrefix("/") else { return nil }
            let range = fields[0].split(separator: "-")
            guard range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16),
                end > start
            else { return nil }
            return FileMapping(start: start, length: end - start, path: String(path))
        }
    }
}
