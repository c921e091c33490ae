import Glibc

/// What lies at a path, from `lstat` (a symlink is itself, not its target).
public enum FileKind: Sendable, Equatable, CustomStringConvertible {
    case regular
    case directory
    case symbolicLink
    case fifo
    case socket
    case characterDevice
    case blockDevice
    case unknown

    package init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: self = .regular
        case S_IFDIR: self = .directory
        case S_IFLNK: self = .symbolicLink
        case S_IFIFO: self = .fifo
        case S_IFSOCK: self = .socket
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        default: self = .unknown
        }
    }

    /// What lies at `path`, nil when nothing does.
    public static func at(_ path: String) throws(ErrnoValue) -> FileKind? {
        try Posix.lstatIfPresent(path).map { FileKind(mode: $0.st_mode) }
    }

    /// Whether an output may replace it: a regular file, or a symlink (the link is replaced,
    /// its target never written). A device, FIFO, socket or directory is someone else's.
    public var isReplaceableByOutput: Bool { self == .regular || self == .symbolicLink }

    /// `a character device`, for messages.
    public var description: String {
        switch self {
        case .regular: "a regular file"
        case .directory: "a directory"
        case .symbolicLink: "a symbolic link"
        case .fifo: "a FIFO"
        case .socket: "a socket"
        case .characterDevice: "a character device"
        case .blockDevice: "a block device"
        case .unknown: "an unknown kind of file"
        }
    }
}

extension stat {
    /// What this `stat` or `lstat` describes.
    package var fileKind: FileKind { FileKind(mode: st_mode) }
}
