import Glibc
import PodmetaSystem

/// A faithful simulator of the kubelet's `AtomicWriter.Write`
/// (`pkg/volume/util/atomic_writer.go`, kubelet 1.30+), for tests, benchmarks and
/// `podmeta demo`: the same files, the same symlinks and the same order of operations, so
/// a watcher sees the same inotify events as on a node.
///
/// One write:
/// 1. validates the item paths and compares the payload with the files under the current
///    `..data`; when nothing changed and no item was dropped it writes nothing (it only
///    recreates missing top-level symlinks, as the kubelet does);
/// 2. creates `..<UTC timestamp>.<random>` (mode 0755) and writes every item into it
///    (items with their mode, nested paths with their directories);
/// 3. with ``simulatesOwnershipChange``, runs the fsGroup ownership pass over the whole
///    volume (``changeOwnership()``), producing `ATTRIB` events before the commit;
/// 4. creates the symlink `..data_tmp -> <timestamp dir>` and renames it to `..data`: the
///    commit;
/// 5. creates the symlinks `NAME -> ..data/NAME` of new top-level names;
/// 6. removes the symlinks of dropped top-level names;
/// 7. removes the previous timestamp directory.
///
/// Like the kubelet's, it is not safe for concurrent use on one volume.
public struct KubeletVolumeWriter: Sendable {
    /// The volume root; it must exist.
    public let root: String
    /// The mode of items without one in `modes` (the volume's `defaultMode`).
    public var defaultMode: UInt32
    /// Run the fsGroup ownership pass (step 3) on every write.
    public var simulatesOwnershipChange: Bool

    public init(root: String, defaultMode: UInt32 = 0o644, simulatesOwnershipChange: Bool = false) {
        self.root = PathNames.absolute(root)
        self.defaultMode = defaultMode
        self.simulatesOwnershipChange = simulatesOwnershipChange
    }

    /// Publishes `payload` (item path to content).
    ///
    /// - Parameter modes: per-item modes, by item path; others get ``defaultMode``.
    /// - Returns: the name of the new timestamp directory, nil when nothing was written.
    @discardableResult
    public func write(_ payload: [String: [UInt8]], modes: [String: UInt32] = [:]) throws(KubeletVolumeWriterError)
        -> String?
    {
        // (1) validate, clean
        var items: [String: (bytes: [UInt8], mode: UInt32)] = [:]
        for (path, bytes) in payload {
            try Self.validate(path)
            items[PathNames.clean(path)] = (bytes, modes[path] ?? defaultMode)
        }
        guard Posix.isDirectory(root) else {
            throw .system(path: root, operation: "open the volume", errno: ErrnoValue(ENOENT))
        }

        // (2) the current generation
        let dataPath = root + "/..data"
        var oldGeneration: String?
        do {
            oldGeneration = try Posix.readLink(dataPath)
        } catch {
            if error.code != ENOENT { throw .system(path: dataPath, operation: "read the link", errno: error) }
        }

        var pathsToRemove: Set<String> = []
        var shouldWrite = true
        if let old = oldGeneration {
            let oldPath = root + "/" + old
            // (3) what the old generation has that the payload drops
            pathsToRemove = Self.relativePaths(under: oldPath).subtracting(Self.pathsWithParents(items.keys))
            // (4) any difference at all?
            let changed = items.contains { path, item in
                (try? Posix.readFile(oldPath + "/" + path)) != item.bytes
            }
            if !changed && pathsToRemove.isEmpty {
                shouldWrite = false
                oldGeneration = nil
            }
        }

        var newGeneration: String?
        if shouldWrite {
            // (5), (6)
            let generation = try makeGenerationDirectory()
            let generationPath = root + "/" + generation
            do throws(KubeletVolumeWriterError) {
                try writeItems(items, into: generationPath)
                // (7) fsGroup
                if simulatesOwnershipChange { try changeOwnership() }
            } catch {
                try? Posix.removeTree(generationPath)
                throw error
            }
            // (8), (9): the commit
            let temporaryLink = root + "/..data_tmp"
            if symlink(generation, temporaryLink) != 0 {
                let error = ErrnoValue.current
                try? Posix.removeTree(generationPath)
                throw .system(path: temporaryLink, operation: "create the symlink", errno: error)
            }
            if rename(temporaryLink, dataPath) != 0 {
                let error = ErrnoValue.current
                unlink(temporaryLink)
                try? Posix.removeTree(generationPath)
                throw .system(path: dataPath, operation: "rename ..data_tmp to", errno: error)
            }
            newGeneration = generation
        }

        // (10) symlinks of new top-level names
        for name in Set(items.keys.map { String($0.split(separator: "/")[0]) }).sorted() {
            let link = root + "/" + name
            do {
                _ = try Posix.readLink(link)
            } catch {
                guard error.code == ENOENT else { continue }
                if symlink("..data/" + name, link) != 0 {
                    throw .system(path: link, operation: "create the symlink", errno: .current)
                }
            }
        }
        // (11) symlinks of dropped top-level names
        var removalError: KubeletVolumeWriterError?
        for path in pathsToRemove.sorted() where !path.contains("/") {
            let visible = root + "/" + path
            if unlink(visible) != 0 && !(errno == EISDIR && rmdir(visible) == 0) {
                removalError = .system(path: visible, operation: "remove", errno: .current)
            }
        }
        if let removalError { throw removalError }
        // (12) the previous generation
        if let old = oldGeneration {
            do {
                try Posix.removeTree(root + "/" + old)
            } catch {
                throw .system(path: root + "/" + old, operation: "remove", errno: error)
            }
        }
        return newGeneration
    }

    /// The fsGroup ownership pass the kubelet runs before a commit (SetVolumeOwnership on a
    /// read-only volume): over the whole volume, lexically, without following symlinks,
    /// `lchown(path, -1, gid)` on everything and `chmod(mode | 0440)` on everything but
    /// symlinks, directories also getting setgid and `0110`. The gid is this process's
    /// (so it works unprivileged); the events are what matters.
    public func changeOwnership() throws(KubeletVolumeWriterError) {
        try changeOwnership(of: root, group: getegid())
    }

    private func changeOwnership(of path: String, group: gid_t) throws(KubeletVolumeWriterError) {
        let info: stat
        do {
            guard let found = try Posix.lstatIfPresent(path) else { return }
            info = found
        } catch {
            throw .system(path: path, operation: "inspect", errno: error)
        }
        if lchown(path, UInt32.max, group) != 0 {
            throw .system(path: path, operation: "change the group of", errno: .current)
        }
        let kind = info.fileKind
        if kind == .symbolicLink { return }
        var mode = (info.st_mode & 0o7777) | 0o440
        if kind == .directory { mode |= S_ISGID | 0o110 }
        if chmod(path, mode) != 0 {
            throw .system(path: path, operation: "change the mode of", errno: .current)
        }
        guard kind == .directory else { return }
        let children: [String]
        do {
            children = try Posix.listDirectory(path)
        } catch {
            throw .system(path: path, operation: "list", errno: error)
        }
        for child in children { try changeOwnership(of: path + "/" + child, group: group) }
    }

    /// The kubelet's validatePath.
    static func validate(_ path: String) throws(KubeletVolumeWriterError) {
        if path.isEmpty { throw .invalidPath(path, reason: "must not be empty") }
        if path.hasPrefix("/") { throw .invalidPath(path, reason: "must be a relative path") }
        if path.utf8.count > 4096 { throw .invalidPath(path, reason: "must be at most 4096 bytes long") }
        let items = path.split(separator: "/", omittingEmptySubsequences: false)
        for item in items {
            if item == ".." { throw .invalidPath(path, reason: "must not contain '..'") }
            if item.utf8.count > 255 { throw .invalidPath(path, reason: "file names must be at most 255 bytes long") }
        }
        if items[0].hasPrefix("..") && items[0].count > 2 {
            throw .invalidPath(path, reason: "must not start with '..'")
        }
    }

    /// os.MkdirTemp(root, "..2006_01_02_15_04_05.") then chmod 0755.
    private func makeGenerationDirectory() throws(KubeletVolumeWriterError) -> String {
        let stamp = "..\(UTCTime(secondsSinceEpoch: time(nil)).underscoreSeparated)."
        for _ in 0..<10000 {
            let name = stamp + String(UInt32.random(in: .min ... .max))
            let path = root + "/" + name
            if mkdir(path, 0o700) == 0 {
                if chmod(path, 0o755) != 0 {
                    throw .system(path: path, operation: "change the mode of", errno: .current)
                }
                return name
            }
            if errno != EEXIST { throw .system(path: path, operation: "create the directory", errno: .current) }
        }
        throw .system(path: root, operation: "create a timestamp directory in", errno: ErrnoValue(EEXIST))
    }

    /// os.WriteFile then chmod, creating parent directories (0777 minus umask, as
    /// os.MkdirAll).
    private func writeItems(_ items: [String: (bytes: [UInt8], mode: UInt32)], into directory: String)
        throws(KubeletVolumeWriterError)
    {
        for (path, item) in items.sorted(by: { $0.key < $1.key }) {
            let full = directory + "/" + path
            let parent = PathNames.directory(of: full)
            do {
                try Posix.makeDirectories(parent, mode: 0o777)
            } catch {
                throw .system(path: parent, operation: "create the directory", errno: error)
            }
            let fd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(item.mode))
            if fd < 0 { throw .system(path: full, operation: "create", errno: .current) }
            do {
                try Posix.writeAll(fd, item.bytes)
            } catch {
                close(fd)
                throw .system(path: full, operation: "write", errno: error)
            }
            close(fd)
            if chmod(full, mode_t(item.mode)) != 0 {
                throw .system(path: full, operation: "change the mode of", errno: .current)
            }
        }
    }

    /// Every path below `directory`, relative to it (files and directories), like the
    /// kubelet's filepath.Walk visitor; empty when it does not exist.
    static func relativePaths(under directory: String) -> Set<String> {
        var result: Set<String> = []
        func walk(_ relative: String) {
            let absolute = relative.isEmpty ? directory : directory + "/" + relative
            guard let names = try? Posix.listDirectory(absolute) else { return }
            for name in names {
                let child = relative.isEmpty ? name : relative + "/" + name
                result.insert(child)
                if let info = try? Posix.lstatIfPresent(directory + "/" + child), info.fileKind == .directory {
                    walk(child)
                }
            }
        }
        walk("")
        return result
    }

    /// Each path and all its parent directories (`a/b/c`, `a/b`, `a`).
    static func pathsWithParents(_ paths: some Sequence<String>) -> Set<String> {
        var result: Set<String> = []
        for path in paths {
            var current = Substring(path)
            while !current.isEmpty {
                result.insert(String(current))
                guard let slash = current.lastIndex(of: "/") else { break }
                current = current[..<slash]
            }
        }
        return result
    }
}
