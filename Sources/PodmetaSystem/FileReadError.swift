import Glibc

/// A file podmeta reads (a volume item, the config file, a template, a snapshot document)
/// could not be read.
public enum FileReadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// open(2), fstat(2) or read(2) failed.
    case system(ErrnoValue)
    /// The path exists but is not a regular file. A FIFO or a device would block the reader
    /// (or never end), a directory has no content: only regular files are read.
    case notRegularFile(kind: String)
    /// More bytes than the caller's limit: not the small file it expects.
    case tooLarge(limit: Int)
    /// A symlink inside the volume resolves to `target`, outside of it.
    case outsideVolume(target: String)

    /// The errno behind a `.system` failure, nil otherwise.
    public var code: Int32? {
        if case .system(let value) = self { return value.code }
        return nil
    }

    /// Whether the path (or a directory on the way) does not exist.
    public var isAbsent: Bool { code == ENOENT || code == ENOTDIR }

    /// One sentence, without the path (callers say which file).
    public var message: String {
        switch self {
        case .system(let value): value.description
        case .notRegularFile(let kind): "it is \(kind), not a regular file"
        case .tooLarge(let limit): "it is larger than \(limit) bytes"
        case .outsideVolume(let target): "it is a symlink to \(target), outside the volume"
        }
    }

    public var description: String { message }
}
