import Glibc
import PodmetaSystem

/// The socket file of the server: created safely, removed only if it is still ours.
///
/// At start an existing path is probed: a live server there means refusing to start, a
/// dead socket (connection refused) is replaced, and anything that is not a socket is
/// never deleted. The file's device and inode are remembered so that removal at exit never
/// deletes a socket that another process bound at the same path in the meantime.
struct UnixSocketFile: Sendable {
    let path: String
    private let device: UInt64
    private let inode: UInt64

    /// Prepares the path and returns a bound close-on-exec descriptor (NIO listens on it).
    ///
    /// The mode is set on the socket before `bind(2)`: Linux creates the file with the
    /// socket inode's mode minus the umask, so it is never more permissive than `mode`.
    /// Widening it to exactly `mode` never goes through the path name again: `chmod(path)`
    /// would follow whatever another user put there in between (a symlink to a file of
    /// their choosing, in a directory others can write). The file is opened with
    /// `O_PATH | O_NOFOLLOW`, checked to be a socket, and changed through that descriptor.
    /// (A umask around `bind` would do it too, but the umask is process-wide.)
    ///
    /// `afterBind` runs right after `bind` (tests use it to swap the path in that window).
    static func create(
        path: String, mode: UInt32, directoryMode: UInt32, afterBind: () -> Void = {}
    ) throws(SocketServerError) -> (descriptor: CInt, file: UnixSocketFile) {
        guard path.utf8.count <= UnixSocketAddress.maxPathBytes, !path.isEmpty else {
            throw SocketServerError(path: path, kind: .pathTooLong, reason: "\(path.utf8.count) bytes")
        }
        try createParentDirectory(of: path, mode: directoryMode)
        try clearStaleSocket(at: path)

        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw systemError(path, "socket", errno) }
        var bound = false
        do throws(SocketServerError) {
            if fchmod(fd, mode_t(mode)) != 0 { throw systemError(path, "fchmod", errno) }
            let result = UnixSocketAddress.withAddress(path) { address, length in
                bind(fd, address, length) == 0 ? 0 : errno
            }
            if let code = result, code != 0 {
                if code == EADDRINUSE {
                    throw SocketServerError(
                        path: path, kind: .alreadyServing, reason: "created by another process while starting")
                }
                throw systemError(path, "bind", code)
            }
            bound = true
            afterBind()
            let info = try setModeWithoutFollowing(path, mode: mode)
            let file = UnixSocketFile(path: path, device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
            return (fd, file)
        } catch {
            if bound { UnixSocketFile(path: path, device: 0, inode: 0).removeIfSocket() }
            close(fd)
            throw error
        }
    }

    /// `O_PATH` (Linux): Glibc's module does not export it (it needs _GNU_SOURCE).
    private static let openPathOnly: CInt = 0o10_000_000

    /// Sets the socket file at `path` to exactly `mode` through an `O_PATH | O_NOFOLLOW`
    /// descriptor, refusing anything that is not a socket; returns its `stat`.
    private static func setModeWithoutFollowing(_ path: String, mode: UInt32) throws(SocketServerError) -> stat {
        let node = open(path, openPathOnly | O_NOFOLLOW | O_CLOEXEC)
        guard node >= 0 else {
            if errno == ELOOP {
                throw SocketServerError(
                    path: path, kind: .systemCall, reason: "replaced by a symbolic link right after bind")
            }
            throw systemError(path, "open", errno)
        }
        defer { close(node) }
        var info = stat()
        if fstat(node, &info) != 0 { throw systemError(path, "fstat", errno) }
        guard info.fileKind == .socket else {
            throw SocketServerError(
                path: path, kind: .systemCall,
                reason: "replaced by \(info.fileKind.description) right after bind")
        }
        if UInt32(info.st_mode & 0o7777) != mode {
            // chmod of an O_PATH descriptor's /proc link changes that inode, whatever the
            // path names now (what glibc's fchmodat does for AT_SYMLINK_NOFOLLOW).
            if chmod("/proc/self/fd/\(node)", mode_t(mode)) != 0 { throw systemError(path, "chmod", errno) }
            info.st_mode = (info.st_mode & ~0o7777) | mode_t(mode)
        }
        return info
    }

    /// Removes what is at the path only if it is a socket (never another user's file).
    private func removeIfSocket() {
        var info = stat()
        guard lstat(path, &info) == 0, info.fileKind == .socket else { return }
        unlink(path)
    }

    /// Removes the socket file if it is still the one this server bound.
    func remove() {
        var info = stat()
        guard lstat(path, &info) == 0, UInt64(info.st_dev) == device, UInt64(info.st_ino) == inode else { return }
        unlink(path)
    }

    /// Whether something accepts connections at `path` right now.
    enum Probe: Equatable {
        case absent
        case listening
        case dead
        case notASocket(String)
        case failed(String)
    }

    static func probe(_ path: String) -> Probe {
        var info = stat()
        if lstat(path, &info) != 0 {
            return errno == ENOENT ? .absent : .failed("lstat: \(ErrnoValue(errno))")
        }
        guard info.fileKind == .socket else { return .notASocket(info.fileKind.description) }
        // Non-blocking, so a live server with a full backlog answers EAGAIN instead of
        // blocking the probe.
        let fd = socket(
            AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { return .failed("socket: \(ErrnoValue(errno))") }
        defer { close(fd) }
        let code =
            UnixSocketAddress.withAddress(path) { address, length in
                connect(fd, address, length) == 0 ? 0 : errno
            } ?? ENAMETOOLONG
        switch code {
        case 0, EAGAIN, EINPROGRESS: return .listening
        case ECONNREFUSED: return .dead
        case ENOENT: return .absent
        default: return .failed("connect: \(ErrnoValue(code))")
        }
    }

    private static func clearStaleSocket(at path: String) throws(SocketServerError) {
        switch probe(path) {
        case .absent: return
        case .listening:
            throw SocketServerError(path: path, kind: .alreadyServing, reason: "it accepted a test connection")
        case .notASocket(let kind): throw SocketServerError(path: path, kind: .notASocket, reason: kind)
        case .failed(let reason):
            throw SocketServerError(path: path, kind: .systemCall, reason: "probing the existing socket: \(reason)")
        case .dead:
            if unlink(path) != 0, errno != ENOENT { throw systemError(path, "unlink of the stale socket", errno) }
        }
    }

    /// Creates missing directories above the socket with `mode` (exactly: the umask is
    /// undone with chmod), leaving existing ones as they are.
    private static func createParentDirectory(of path: String, mode: UInt32) throws(SocketServerError) {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")), slash != path.utf8.startIndex else { return }
        let parent = String(path[..<slash])
        var info = stat()
        if stat(parent, &info) == 0 {
            guard info.fileKind == .directory else {
                throw SocketServerError(
                    path: path, kind: .systemCall,
                    reason: "the parent \(parent) is \(info.fileKind.description), not a directory")
            }
            return
        }
        guard errno == ENOENT else { throw systemError(path, "stat of \(parent)", errno) }
        try createParentDirectory(of: parent, mode: mode)
        if mkdir(parent, mode_t(mode)) != 0 {
            if errno == EEXIST { return }
            throw systemError(path, "mkdir \(parent)", errno)
        }
        if chmod(parent, mode_t(mode)) != 0 { throw systemError(path, "chmod \(parent)", errno) }
    }

    private static func systemError(_ path: String, _ call: String, _ code: Int32) -> SocketServerError {
        SocketServerError(
            path: path, kind: .systemCall, reason: "\(call) failed: \(ErrnoValue(code))")
    }
}
