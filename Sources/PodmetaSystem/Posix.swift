import Glibc

/// Thin throwing wrappers over the file syscalls this module needs, so callers can attach
/// their own context (path, operation) to the `errno` they get back. No Foundation: the
/// agent runs in small containers and the Foundation file APIs hide the errno we report.
package enum Posix {
    /// lstat(2); nil when the path does not exist (or a component is not a directory).
    package static func lstatIfPresent(_ path: String) throws(ErrnoValue) -> stat? {
        var info = stat()
        if lstat(path, &info) == 0 { return info }
        let code = errno
        if code == ENOENT || code == ENOTDIR { return nil }
        throw ErrnoValue(code)
    }

    /// stat(2), following symlinks; nil when the path (or its target) does not exist.
    package static func statIfPresent(_ path: String) throws(ErrnoValue) -> stat? {
        var info = stat()
        if stat(path, &info) == 0 { return info }
        let code = errno
        if code == ENOENT || code == ENOTDIR { return nil }
        throw ErrnoValue(code)
    }

    package static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.fileKind == .directory
    }

    package static func isSymlink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.fileKind == .symbolicLink
    }

    /// readlink(2) of the link itself.
    package static func readLink(_ path: String) throws(ErrnoValue) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        if count < 0 { throw ErrnoValue.current }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// readlink(2), nil when the path does not exist or is not a symlink.
    package static func readLinkIfPresent(_ path: String) throws(ErrnoValue) -> String? {
        do {
            return try readLink(path)
        } catch {
            if error.code == ENOENT || error.code == EINVAL || error.code == ENOTDIR { return nil }
            throw error
        }
    }

    /// The whole content of a regular file; `flags` are added to
    /// `O_RDONLY | O_NONBLOCK | O_CLOEXEC`.
    ///
    /// The open never blocks: a FIFO without a writer (or a device) would hold a blocking
    /// open(2) forever, and a reader stuck there stops publishing and ignores SIGTERM.
    /// Anything but a regular file is refused once fstat(2) says what it is.
    package static func readFile(_ path: String, flags: Int32 = 0, limit: Int = 16 << 20) throws(FileReadError)
        -> [UInt8]
    {
        let fd: Int32
        do {
            fd = try retryingEINTR { open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | flags) }
        } catch {
            throw .system(error)
        }
        defer { close(fd) }
        return try readRegular(fd, limit: limit)
    }

    /// Like ``readFile(_:flags:limit:)``, and the file actually opened must lie inside
    /// `root` (absolute, symlinks resolved): the descriptor's own path in /proc is checked
    /// after the open, so a symlink swapped in between cannot lead the read outside.
    package static func readFile(_ path: String, limit: Int, confinedTo root: String) throws(FileReadError) -> [UInt8] {
        let fd: Int32
        do {
            fd = try retryingEINTR { open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC) }
        } catch {
            throw .system(error)
        }
        defer { close(fd) }
        // Without /proc (never the case in a container) the caller's realpath check stands.
        if let opened = try? readLink("/proc/self/fd/\(fd)"), opened.hasPrefix("/"),
            !PathNames.isInside(opened, root: root)
        {
            throw .outsideVolume(target: opened)
        }
        return try readRegular(fd, limit: limit)
    }

    /// The content behind an open descriptor, refused unless it is a regular file.
    package static func readRegular(_ fd: Int32, limit: Int) throws(FileReadError) -> [UInt8] {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .system(.current) }
        guard info.fileKind == .regular else {
            throw .notRegularFile(kind: info.fileKind.description)
        }
        do {
            return try readAll(fd, limit: limit)
        } catch {
            throw error.code == EFBIG ? .tooLarge(limit: limit) : .system(error)
        }
    }

    /// Reads until end of file. More than `limit` bytes is EFBIG: nothing this module reads
    /// legitimately gets that large, and an unbounded read of a wrong path could exhaust memory.
    package static func readAll(_ fd: Int32, limit: Int) throws(ErrnoValue) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ErrnoValue.current
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > limit { throw ErrnoValue(EFBIG) }
        }
    }

    /// Writes every byte, resuming after short writes and EINTR.
    package static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws(ErrnoValue) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw ErrnoValue.current
            }
            offset += written
        }
    }

    /// The names in a directory, without `.` and `..`, sorted bytewise (Go's filepath.Walk
    /// order, which the kubelet simulator mirrors).
    package static func listDirectory(_ path: String) throws(ErrnoValue) -> [String] {
        guard let dir = opendir(path) else { throw ErrnoValue.current }
        defer { closedir(dir) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(dir) else {
                if errno != 0 { throw ErrnoValue.current }
                break
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// `rm -rf`: removes a file, a symlink (never its target) or a directory tree. A path
    /// that is already gone is not an error.
    package static func removeTree(_ path: String) throws(ErrnoValue) {
        guard let info = try lstatIfPresent(path) else { return }
        if info.fileKind == .directory {
            for name in try listDirectory(path) {
                try removeTree(path + "/" + name)
            }
            if rmdir(path) != 0 && errno != ENOENT { throw ErrnoValue.current }
        } else if unlink(path) != 0 && errno != ENOENT {
            throw ErrnoValue.current
        }
    }

    /// `mkdir -p` with `mode` for every directory it creates (subject to the umask, as
    /// Go's os.MkdirAll).
    package static func makeDirectories(_ path: String, mode: mode_t) throws(ErrnoValue) {
        if isDirectory(path) { return }
        let parent = PathNames.directory(of: path)
        if parent != path { try makeDirectories(parent, mode: mode) }
        if mkdir(path, mode) != 0 {
            let code = errno
            if code == EEXIST && isDirectory(path) { return }
            throw ErrnoValue(code)
        }
    }

    /// mkdtemp(3): a new directory `base/prefix.XXXXXX` only this user can enter.
    package static func makeTemporaryDirectory(in base: String, prefix: String) throws(ErrnoValue) -> String {
        var template = Array((base + "/" + prefix + ".XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else { throw ErrnoValue.current }
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// realpath(3); nil when the path cannot be resolved.
    package static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Calls `body` until it does not fail with EINTR; a negative result becomes the errno.
    package static func retryingEINTR(_ body: () -> Int32) throws(ErrnoValue) -> Int32 {
        while true {
            let result = body()
            if result >= 0 { return result }
            if errno != EINTR { throw ErrnoValue.current }
        }
    }
}
