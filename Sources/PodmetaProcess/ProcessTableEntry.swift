import Glibc

/// One process as `/proc/PID` shows it: what a signal hook matches on and what its errors
/// report.
public struct ProcessTableEntry: Sendable, Hashable {
    public var pid: Int32
    /// `/proc/PID/cmdline` split at NUL; empty for kernel threads and zombies.
    public var arguments: [String]
    /// `/proc/PID/comm`: the executable's name, at most 15 bytes.
    public var name: String
    /// The real uid (first field of `Uid:` in `/proc/PID/status`); nil when unreadable.
    public var uid: UInt32?

    public init(pid: Int32, arguments: [String], name: String, uid: UInt32?) {
        self.pid = pid
        self.arguments = arguments
        self.name = name
        self.uid = uid
    }

    /// The command line as `ps` shows it, capped for log lines.
    public var commandLine: String {
        let text = arguments.isEmpty ? "[\(name)]" : arguments.joined(separator: " ")
        return text.count > 120 ? String(text.prefix(117)) + "..." : text
    }

    /// Reads every process under `root` (normally `/proc`). Processes that vanish while
    /// being read are skipped; so are kernel threads (no command line).
    public static func scan(root: String = "/proc") -> [ProcessTableEntry] {
        guard let directory = opendir(root) else { return [] }
        defer { closedir(directory) }
        var entries: [ProcessTableEntry] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard let pid = Int32(name), pid > 0 else { continue }
            let base = "\(root)/\(name)"
            guard let cmdline = readSmall("\(base)/cmdline"), !cmdline.isEmpty else { continue }
            var parts = cmdline.split(separator: 0, omittingEmptySubsequences: false).map {
                String(decoding: $0, as: UTF8.self)
            }
            if parts.last == "" { parts.removeLast() }
            let comm = readSmall("\(base)/comm").map { String(decoding: $0, as: UTF8.self) } ?? ""
            var uid: UInt32?
            if let status = readSmall("\(base)/status") {
                let text = String(decoding: status, as: UTF8.self)
                if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Uid:") }) {
                    uid = line.dropFirst(4).split(whereSeparator: { $0 == "\t" || $0 == " " }).first.flatMap {
                        UInt32($0)
                    }
                }
            }
            entries.append(
                ProcessTableEntry(
                    pid: pid, arguments: parts,
                    name: comm.hasSuffix("\n") ? String(comm.dropLast()) : comm, uid: uid))
        }
        return entries.sorted { $0.pid < $1.pid }
    }

    /// A `/proc` file's bytes (they report size 0, so read until end of file), at most 64 KiB.
    private static func readSmall(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 65536 {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return bytes
    }
}
