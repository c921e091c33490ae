import Glibc
import PodmetaSystem

/// What ``PollingWatcher`` compares between two scans: whether the root exists, where
/// `..data` points, and an FNV-1a hash of each mapped top-level entry's content.
///
/// In a kubelet volume the entries are hashed inside the generation `..data` resolved to
/// (not through the top-level symlinks, which could straddle two generations); if that
/// generation vanishes mid-scan, the scan starts over.
struct VolumeFingerprint: Equatable {
    enum State: Equatable {
        case missing
        case present(dataTarget: String?, entries: [String: UInt64])
    }

    let state: State

    /// Directory levels and entries hashed below a top-level directory entry, so a wrong
    /// root (`/`) cannot turn a scan into a file-system walk.
    static let maxDepth = 8
    static let maxEntries = 4096
    static let maxFileSize = 16 << 20

    /// Scans `root`. `mappedNames` nil: every name not starting with `..`.
    static func scan(root: String, mappedNames: Set<String>?) -> VolumeFingerprint {
        for _ in 0..<8 {
            guard Posix.isDirectory(root) else { return VolumeFingerprint(state: .missing) }
            let target = (try? Posix.readLinkIfPresent(root + "/..data")) ?? nil
            let base = target.map { $0.hasPrefix("/") ? $0 : root + "/" + $0 } ?? root
            let names: [String]
            if let mappedNames {
                names = mappedNames.sorted()
            } else {
                names = ((try? Posix.listDirectory(base)) ?? []).filter { !$0.hasPrefix("..") }
            }
            var budget = maxEntries
            var entries: [String: UInt64] = [:]
            for name in names {
                var hasher = FNV1a64()
                hashEntry(base + "/" + name, depth: 0, budget: &budget, into: &hasher)
                entries[name] = hasher.value
            }
            // The generation was deleted under us (the kubelet swapped meanwhile): again.
            if target != nil && !Posix.isDirectory(base) { continue }
            if target != nil, ((try? Posix.readLinkIfPresent(root + "/..data")) ?? nil) != target { continue }
            return VolumeFingerprint(state: .present(dataTarget: target, entries: entries))
        }
        return VolumeFingerprint(state: .present(dataTarget: nil, entries: [:]))
    }

    /// Hashes a type tag and the content (files), the sorted children (directories), or the
    /// error (unreadable, absent), following symlinks.
    private static func hashEntry(_ path: String, depth: Int, budget: inout Int, into hasher: inout FNV1a64) {
        budget -= 1
        guard budget >= 0 else { return hasher.combine("budget") }
        let info: stat?
        do {
            info = try Posix.statIfPresent(path)
        } catch {
            return hasher.combine("error \(error.code)")
        }
        guard let info else { return hasher.combine("absent") }
        switch info.fileKind {
        case .regular:
            hasher.combine("file")
            do {
                hasher.combine(try Posix.readFile(path, limit: maxFileSize))
            } catch {
                hasher.combine("error \(error.message)")
            }
        case .directory:
            hasher.combine("dir")
            guard depth < maxDepth, let children = try? Posix.listDirectory(path) else { return hasher.combine("deep") }
            for child in children {
                hasher.combine(child)
                hashEntry(path + "/" + child, depth: depth + 1, budget: &budget, into: &hasher)
            }
        case let kind:
            hasher.combine("other \(kind)")
        }
    }

    /// The triggers that lead from `previous` to `self`.
    func triggers(since previous: VolumeFingerprint) -> [WatchTrigger] {
        switch (previous.state, state) {
        case (.missing, .missing): return []
        case (.present, .missing): return [.volumeMissing]
        case (.missing, .present): return [.volumeRestored]
        case (.present(let oldTarget, let oldEntries), .present(let newTarget, let newEntries)):
            if oldTarget != newTarget { return [.dataSwapped] }
            let names = Set(oldEntries.keys).union(newEntries.keys).filter { oldEntries[$0] != newEntries[$0] }
            if names.isEmpty { return [] }
            return [.filesChanged(names.sorted())]
        }
    }

    /// Whether `self` shows a new `..data` target compared with `previous` (a commit).
    func isCommit(since previous: VolumeFingerprint) -> Bool {
        guard case .present(let newTarget?, _) = state else { return false }
        if case .present(let oldTarget, _) = previous.state { return oldTarget != newTarget }
        return false
    }
}
