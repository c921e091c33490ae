import Glibc
import Logging
import PodmetaSystem
import Synchronization

/// Replaces one file atomically: a reader sees either the previous content or the new
/// one, complete, never a mix (the contract's "replaced atomically").
///
/// A write goes to `.<name>.tmp-<pid>-<n>` in the destination's directory, is fchmod'ed to
/// ``mode``, fsync'ed, renamed over the destination, and the directory is fsync'ed. Before
/// that, the write is skipped when the destination already holds exactly these bytes with
/// this mode: after a write of its own, the writer compares with the bytes it wrote (as
/// long as the file's inode, size, times and mode are unchanged); otherwise it reads the
/// file. So an unchanged revision never touches the file (no inotify event, no mtime
/// change for the app watching it).
///
/// **Failures** (read-only directory, ENOSPC, a destination inside ``forbiddenRoot``, a
/// destination that is a device, FIFO, socket or directory)
/// throw ``AtomicFileWriterError`` with the path and the errno text; the previous file is
/// intact and the temporary file removed.
///
/// **Bind-mounted files.** A file bind-mounted over the destination (a Kubernetes
/// `subPath` mount, a Docker `-v file:file`) cannot be renamed over: rename fails with
/// EBUSY (EXDEV or EPERM on some setups). The writer then truncates and rewrites it in
/// place, logging a warning once per writer: that write is not atomic (a reader can see a
/// short file) and a failure midway leaves it damaged.
///
/// **Stale temporaries.** On its first write, the writer removes `.<name>.tmp-<pid>-<n>`
/// files whose process no longer exists (left by a crash), and those with our own pid that
/// this process is not writing: as a container's PID 1 the agent has the same pid after
/// every restart, so a crash's leftovers always carry it.
///
/// Thread-safe: writes are serialized. Uses Glibc syscalls only.
public final class AtomicFileWriter: Sendable {
    /// The absolute destination path.
    public let path: String
    /// Permission bits of the written file.
    public let mode: UInt32
    /// A directory (the watched volume) under which this writer refuses to write, compared
    /// after resolving symlinks.
    public let forbiddenRoot: String?
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var last: Written?
        var warnedInPlace = false
        var sweptStaleTemporaries = false
    }

    private struct Written {
        var bytes: [UInt8]
        var identity: FileIdentity
    }

    /// What must stay equal for "the file still holds what we wrote" without reading it.
    private struct FileIdentity: Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var mode: UInt32
        var modified: timespec
        var changed: timespec

        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            mode = UInt32(info.st_mode)
            modified = info.st_mtim
            changed = info.st_ctim
        }

        static func == (a: FileIdentity, b: FileIdentity) -> Bool {
            a.device == b.device && a.inode == b.inode && a.size == b.size && a.mode == b.mode
                && a.modified.tv_sec == b.modified.tv_sec && a.modified.tv_nsec == b.modified.tv_nsec
                && a.changed.tv_sec == b.changed.tv_sec && a.changed.tv_nsec == b.changed.tv_nsec
        }
    }

    /// Temporary-name sequence, process-wide so two writers never collide.
    private static let sequence = Atomic<UInt64>(0)
    /// Temporaries this process is writing right now: with our pid, anything else is stale.
    private static let inFlight = Mutex<Set<String>>([])

    /// Whether something exists at `path` (a symlink counts, dangling or not).
    public static func fileExists(at path: String) -> Bool {
        ((try? Posix.lstatIfPresent(path)) ?? nil) != nil
    }

    /// - Parameters:
    ///   - path: the destination (made absolute against the working directory).
    ///   - mode: permission bits, applied with fchmod (the umask does not apply).
    ///   - forbiddenRoot: the watched volume root; writes below it are refused.
    public init(
        path: String, mode: UInt32 = 0o644, forbiddenRoot: String? = nil,
        logger: Logger = Logger(label: "podmeta.atomic-writer")
    ) {
        self.path = PathNames.absolute(path)
        self.mode = mode & 0o7777
        self.forbiddenRoot = forbiddenRoot
        self.logger = logger
    }

    /// Replaces the file with `bytes` unless it already holds them.
    ///
    /// - Returns: true when the file was written, false when it was already up to date.
    @discardableResult
    public func write(_ bytes: [UInt8]) throws(AtomicFileWriterError) -> Bool {
        try state.withLock { (state: inout State) throws(AtomicFileWriterError) -> Bool in
            try write(bytes, state: &state)
        }
    }

    private func write(_ bytes: [UInt8], state: inout State) throws(AtomicFileWriterError) -> Bool {
        let directory = PathNames.directory(of: path)
        let name = PathNames.base(of: path)
        try checkNotForbidden(directory: directory)

        let current: stat?
        do {
            current = try Posix.lstatIfPresent(path)
        } catch {
            throw .system(path: path, operation: .inspect, errno: error)
        }
        if let current, !current.fileKind.isReplaceableByOutput {
            // rename(2) would replace it: checked at every write, not only at start,
            // because anyone who can write the directory can put a device or FIFO here.
            // What appears between this lstat and the rename is still replaced: Linux has
            // no rename that refuses a non-regular target, so the window is kept short.
            throw .notARegularFile(path: path, kind: current.fileKind)
        }
        if let current, current.fileKind == .regular, holds(bytes, current: current, state: &state) {
            return false
        }

        if !state.sweptStaleTemporaries {
            state.sweptStaleTemporaries = true
            sweepStaleTemporaries(directory: directory, name: name)
        }

        let temporary = try writeTemporary(bytes, directory: directory, name: name)
        defer { _ = Self.inFlight.withLock { $0.remove(temporary) } }
        if rename(temporary, path) != 0 {
            let code = errno
            unlink(temporary)
            guard [EBUSY, EXDEV, EPERM].contains(code), let current, current.fileKind == .regular else {
                throw .system(path: path, operation: .rename, errno: ErrnoValue(code))
            }
            try writeInPlace(bytes, renameError: ErrnoValue(code), state: &state)
        } else {
            syncDirectory(directory)
        }
        if let written = try? Posix.lstatIfPresent(path) {
            state.last = Written(bytes: bytes, identity: FileIdentity(written))
        } else {
            state.last = nil
        }
        return true
    }

    private func checkNotForbidden(directory: String) throws(AtomicFileWriterError) {
        guard let forbiddenRoot else { return }
        guard let resolvedDirectory = Posix.realPath(directory) else {
            throw .system(path: path, operation: .resolveDirectory, errno: .current)
        }
        let resolvedRoot = Posix.realPath(forbiddenRoot) ?? PathNames.absolute(forbiddenRoot)
        if PathNames.isInside(resolvedDirectory, root: resolvedRoot) {
            throw .insideForbiddenRoot(path: path, root: forbiddenRoot)
        }
    }

    /// Whether the regular file described by `current` already holds `bytes` with ``mode``.
    private func holds(_ bytes: [UInt8], current: stat, state: inout State) -> Bool {
        let identity = FileIdentity(current)
        if let last = state.last, last.identity == identity {
            return last.bytes == bytes
        }
        guard Int(current.st_size) == bytes.count, UInt32(current.st_mode) & 0o7777 == mode else { return false }
        guard let existing = try? Posix.readFile(path, flags: O_NOFOLLOW, limit: bytes.count + 1),
            existing == bytes
        else { return false }
        state.last = Written(bytes: bytes, identity: identity)
        return true
    }

    /// Creates, fills, fchmods, fsyncs and closes the temporary file; returns its path.
    private func writeTemporary(_ bytes: [UInt8], directory: String, name: String) throws(AtomicFileWriterError)
        -> String
    {
        let sequence = Self.sequence.wrappingAdd(1, ordering: .relaxed).oldValue
        let temporary = directory + "/." + name + ".tmp-\(getpid())-\(sequence)"
        Self.inFlight.withLock { _ = $0.insert(temporary) }
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW
        var fd = open(temporary, flags, 0o600)
        if fd < 0 && errno == EEXIST {
            // Left by an earlier process that had our pid (containers reuse low pids).
            unlink(temporary)
            fd = open(temporary, flags, 0o600)
        }
        if fd < 0 {
            let error = ErrnoValue.current
            _ = Self.inFlight.withLock { $0.remove(temporary) }
            throw .system(path: path, operation: .createTemporary, errno: error)
        }

        func fail(_ operation: AtomicFileWriterError.Operation, _ error: ErrnoValue) -> AtomicFileWriterError {
            close(fd)
            unlink(temporary)
            _ = Self.inFlight.withLock { $0.remove(temporary) }
            return .system(path: path, operation: operation, errno: error)
        }
        do {
            try Posix.writeAll(fd, bytes)
        } catch {
            throw fail(.write, error)
        }
        if fchmod(fd, mode_t(mode)) != 0 { throw fail(.setMode, .current) }
        if fsync(fd) != 0 { throw fail(.sync, .current) }
        if close(fd) != 0 {
            let error = ErrnoValue.current
            unlink(temporary)
            _ = Self.inFlight.withLock { $0.remove(temporary) }
            throw .system(path: path, operation: .close, errno: error)
        }
        return temporary
    }

    private func writeInPlace(_ bytes: [UInt8], renameError: ErrnoValue, state: inout State)
        throws(AtomicFileWriterError)
    {
        if !state.warnedInPlace {
            state.warnedInPlace = true
            logger.warning(
                "cannot rename over the file (a bind mount?); rewriting it in place, which readers may see half-written",
                metadata: ["path": "\(path)", "error": "\(renameError)"])
        }
        let fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 { throw .system(path: path, operation: .writeInPlace, errno: .current) }
        defer { close(fd) }
        do {
            try Posix.writeAll(fd, bytes)
        } catch {
            throw .system(path: path, operation: .writeInPlace, errno: error)
        }
        // The mount's owner may not be us; the content is what matters.
        _ = fchmod(fd, mode_t(mode))
        if fsync(fd) != 0 { throw .system(path: path, operation: .writeInPlace, errno: .current) }
    }

    /// Makes the rename durable. Best effort: the new content is already in place, so a
    /// failure here is logged, not thrown.
    private func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        if fsync(fd) != 0 && errno != EINVAL {
            logger.warning(
                "fsync of the directory failed", metadata: ["path": "\(directory)", "error": "\(ErrnoValue.current)"])
        }
    }

    /// Removes `.<name>.tmp-<pid>-<n>` files of processes that no longer exist, and those
    /// of our own pid that this process is not writing (an earlier incarnation's). Only
    /// that exact pattern, never anything else in the directory; unlink removes a symlink
    /// itself, never its target.
    private func sweepStaleTemporaries(directory: String, name: String) {
        let prefix = "." + name + ".tmp-"
        guard let entries = try? Posix.listDirectory(directory) else { return }
        let ownPid = getpid()
        for entry in entries where entry.hasPrefix(prefix) {
            let rest = entry.dropFirst(prefix.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = Int32(rest[..<dash]), pid > 0,
                UInt64(rest[rest.index(after: dash)...]) != nil
            else { continue }
            let full = directory + "/" + entry
            let stale: Bool
            if pid == ownPid {
                stale = !Self.inFlight.withLock { $0.contains(full) }
            } else {
                stale = kill(pid, 0) != 0 && errno == ESRCH
            }
            if stale { unlink(full) }
        }
    }
}
