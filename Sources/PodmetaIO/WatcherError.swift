import Glibc
import PodmetaSystem

/// Why a watcher could not be set up. Every case but ``notADirectory(path:)`` means
/// "inotify cannot serve here": fall back to ``PollingWatcher`` (``allowsPollingFallback``).
public enum WatcherError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another ``InotifyWatcher`` is running in this process (libinotifytools keeps its
    /// state in globals, so there can be only one).
    case alreadyRunning
    /// The per-user inotify limits are exhausted: `ENOSPC` from inotify_add_watch
    /// (`fs.inotify.max_user_watches`), `EMFILE`/`ENFILE` from inotify_init
    /// (`fs.inotify.max_user_instances` or the descriptor limit).
    case limitReached(path: String, errno: ErrnoValue)
    /// The kernel or the file system does not support inotify here.
    case unsupported(path: String, errno: ErrnoValue)
    /// The volume root exists but is not a directory.
    case notADirectory(path: String)
    /// The inotify descriptor libinotifytools opened could not be used: not found in
    /// `/proc/self/fd`, or numbered too high for the library's select(2).
    case descriptorUnusable(reason: String)
    /// Any other failure of a setup step.
    case setupFailed(path: String, operation: String, errno: ErrnoValue)

    /// Whether the caller should try ``PollingWatcher`` instead.
    public var allowsPollingFallback: Bool {
        if case .notADirectory = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .alreadyRunning:
            "an inotify watcher is already running in this process (libinotifytools allows one)"
        case .limitReached(let path, let errno):
            "cannot watch \(path): inotify limits exhausted: \(errno); raise fs.inotify.max_user_watches/max_user_instances or use polling"
        case .unsupported(let path, let errno):
            "cannot watch \(path): inotify is not supported there: \(errno)"
        case .notADirectory(let path):
            "cannot watch \(path): not a directory"
        case .descriptorUnusable(let reason):
            "cannot use the inotify descriptor: \(reason)"
        case .setupFailed(let path, let operation, let errno):
            "cannot watch \(path): \(operation) failed: \(errno)"
        }
    }

    /// Classifies an errno from inotify_init or inotify_add_watch.
    static func fromInotify(path: String, operation: String, errno code: Int32) -> WatcherError {
        let value = ErrnoValue(code)
        switch code {
        case ENOSPC, EMFILE, ENFILE, ENOMEM: return .limitReached(path: path, errno: value)
        case ENOSYS, EOPNOTSUPP, EINVAL: return .unsupported(path: path, errno: value)
        case ENOTDIR: return .notADirectory(path: path)
        default: return .setupFailed(path: path, operation: operation, errno: value)
        }
    }
}
