import Glibc
import PodmetaSystem

/// Reads the items of a downwardAPI volume as one consistent generation.
///
/// The kubelet publishes a new generation by renaming `..data` to point at a fresh
/// timestamp directory, then deletes the old one. Reading `ROOT/labels` and then
/// `ROOT/annotations` through the top-level symlinks could mix two generations, so the
/// reader resolves `..data` once, reads every item under that directory, and starts over if
/// the directory vanished or `..data` moved on meanwhile.
public struct VolumeReader: Sendable {
    /// The volume root.
    public var root: String
    /// Items larger than this are refused: the Downward API never writes more than the
    /// 256 KiB annotation budget, so anything bigger is not a downward API file.
    public var maxFileSize: Int
    /// How often a read restarts because the kubelet swapped generations under it.
    public var maxAttempts: Int

    public init(root: String, maxFileSize: Int = 4 << 20, maxAttempts: Int = 16) {
        self.root = root
        self.maxFileSize = maxFileSize
        self.maxAttempts = maxAttempts
    }

    /// One consistent read.
    public struct Result: Sendable, Equatable {
        /// The timestamp directory `..data` pointed at, or nil for a plain directory.
        public var generation: String?
        /// The bytes of every item found, by item path.
        public var files: [String: [UInt8]]
        /// Item paths that do not exist in this generation.
        public var missing: [String]
        /// A plain directory on tmpfs: most likely a downwardAPI volume mounted with
        /// `subPath`, which the kubelet never updates.
        public var looksLikeSubPathMount: Bool

        /// Whether this is a kubelet-managed volume (it has `..data`).
        public var isKubeletVolume: Bool { generation != nil }
    }

    /// Reads `paths` (relative item paths) from one generation of the volume.
    ///
    /// Only regular files are read, and never through a blocking open: a FIFO, a device or
    /// a socket in place of an item is a read error naming it, as is a symlink (the
    /// kubelet's `..data` included) that leads outside the volume.
    public func read(paths: [String]) throws(VolumeReadError) -> Result {
        for _ in 0..<maxAttempts {
            guard let generation = try readDataLink() else {
                return try readPlainDirectory(paths: paths)
            }
            let base = generation.hasPrefix("/") ? generation : root + "/" + generation
            let realRoot = try resolvedRoot()
            guard let realBase = Posix.realPath(base) else {
                // Deleted under us by a swap (read again), or a dangling link (an error).
                if try readDataLink() != generation { continue }
                throw VolumeReadError(
                    path: root + "/..data", kind: .unreadable,
                    reason: "it points at \(generation), which does not exist")
            }
            guard PathNames.isInside(realBase, root: realRoot) else {
                throw VolumeReadError(
                    path: root + "/..data", kind: .unreadable, reason: "it points at \(realBase), outside the volume")
            }
            let info: stat?
            do {
                info = try Posix.statIfPresent(realBase)
            } catch {
                throw VolumeReadError(path: realBase, kind: .unreadable, reason: error.description)
            }
            guard let info else { continue }
            guard info.fileKind == .directory else {
                // Reading items "inside" a file finds none: publishing that would replace the
                // pod's metadata with an empty document.
                throw VolumeReadError(
                    path: root + "/..data", kind: .unreadable,
                    reason: "it points at \(info.fileKind.description), not a directory of items")
            }
            var files: [String: [UInt8]] = [:]
            var missing: [String] = []
            var vanished = false
            for path in paths {
                switch try readItem(base + "/" + path, realRoot: realRoot) {
                case .content(let bytes): files[path] = bytes
                case .absent:
                    // Absent because the generation was deleted under us, or truly absent?
                    if !VolumeReader.exists(base) {
                        vanished = true
                    } else {
                        missing.append(path)
                    }
                }
                if vanished { break }
            }
            if vanished { continue }
            guard try readDataLink() == generation else { continue }
            return Result(generation: generation, files: files, missing: missing, looksLikeSubPathMount: false)
        }
        throw VolumeReadError(
            path: root, kind: .unstable, reason: "the kubelet swapped generations \(maxAttempts) times during one read")
    }

    private func readPlainDirectory(paths: [String]) throws(VolumeReadError) -> Result {
        let realRoot = try resolvedRoot()
        var files: [String: [UInt8]] = [:]
        var missing: [String] = []
        for path in paths {
            switch try readItem(root + "/" + path, realRoot: realRoot) {
            case .content(let bytes): files[path] = bytes
            case .absent: missing.append(path)
            }
        }
        return Result(
            generation: nil, files: files, missing: missing, looksLikeSubPathMount: VolumeReader.isTmpfs(root))
    }

    /// The root with every symlink resolved, which items must stay inside.
    private func resolvedRoot() throws(VolumeReadError) -> String {
        guard let real = Posix.realPath(root) else {
            throw VolumeReadError(path: root, kind: .missing, reason: "no such directory")
        }
        return real
    }

    /// The target of `ROOT/..data`, nil when the volume has none (a plain directory).
    private func readDataLink() throws(VolumeReadError) -> String? {
        do {
            if let target = try Posix.readLinkIfPresent(root + "/..data") { return target }
        } catch {
            throw VolumeReadError(path: root + "/..data", kind: .unreadable, reason: error.message)
        }
        let info: stat?
        do {
            info = try Posix.statIfPresent(root)
        } catch {
            throw VolumeReadError(path: root, kind: .unreadable, reason: error.message)
        }
        guard let info else { throw VolumeReadError(path: root, kind: .missing, reason: "no such directory") }
        if info.fileKind != .directory {
            throw VolumeReadError(path: root, kind: .unreadable, reason: "not a directory")
        }
        return nil
    }

    private enum FileRead {
        case content([UInt8])
        case absent
    }

    /// One item: symlinks are followed (the kubelet's own item links are) but must end
    /// inside the volume, and what they end at must be a regular file. The type is checked
    /// before opening, so a device is never even opened, and again on the open descriptor.
    private func readItem(_ path: String, realRoot: String) throws(VolumeReadError) -> FileRead {
        let info: stat?
        do {
            info = try Posix.statIfPresent(path)
        } catch {
            throw VolumeReadError(path: path, kind: .unreadable, reason: error.description)
        }
        guard let info else { return .absent }
        if let resolved = Posix.realPath(path), !PathNames.isInside(resolved, root: realRoot) {
            throw VolumeReadError(
                path: path, kind: .unreadable, reason: FileReadError.outsideVolume(target: resolved).message)
        }
        guard info.fileKind == .regular else {
            throw VolumeReadError(
                path: path, kind: .unreadable,
                reason: FileReadError.notRegularFile(kind: info.fileKind.description).message)
        }
        do {
            return .content(try Posix.readFile(path, limit: maxFileSize, confinedTo: realRoot))
        } catch {
            if error.isAbsent { return .absent }
            if case .tooLarge = error {
                throw VolumeReadError(
                    path: path, kind: .unreadable, reason: "larger than \(maxFileSize) bytes, not a downward API file")
            }
            throw VolumeReadError(path: path, kind: .unreadable, reason: error.message)
        }
    }

    static func exists(_ path: String) -> Bool {
        (try? Posix.lstatIfPresent(path)) != nil
    }

    /// Whether `path` lives on tmpfs, from the longest matching mount point in
    /// /proc/self/mounts (Swift's Glibc module does not export statfs).
    static func isTmpfs(_ path: String) -> Bool {
        guard let real = Posix.realPath(path), let table = try? Posix.readFile("/proc/self/mounts") else {
            return false
        }
        var best: (length: Int, type: Substring) = (-1, "")
        for line in String(decoding: table, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3 else { continue }
            // Mount points escape spaces as \040; kubelet volume paths have none.
            let mountPoint = String(fields[1])
            let matches = real == mountPoint || mountPoint == "/" || real.hasPrefix(mountPoint + "/")
            if matches, mountPoint.count > best.length { best = (mountPoint.count, fields[2]) }
        }
        return best.type == "tmpfs"
    }

}
