import PodmetaSystem
/// Why ``AtomicFileWriter`` did not replace its file. In every case the previous content
/// of the destination is intact (the in-place fallback for bind-mounted files excepted,
/// see ``AtomicFileWriter``) and no temporary file is left behind.
public enum AtomicFileWriterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The step that failed, for the message.
    public enum Operation: String, Sendable {
        case resolveDirectory = "resolving its directory"
        case inspect = "inspecting the current file"
        case createTemporary = "creating the temporary file"
        case write = "writing the temporary file"
        case setMode = "setting the mode of the temporary file"
        case sync = "syncing the temporary file"
        case close = "closing the temporary file"
        case rename = "renaming the temporary file over it"
        case writeInPlace = "rewriting the bind-mounted file in place"
    }

    /// The destination lies inside the watched volume, which is never written into.
    case insideForbiddenRoot(path: String, root: String)
    /// Something that is not a regular file (nor a symlink) is at the destination: a
    /// device, a FIFO, a socket or a directory is never replaced.
    case notARegularFile(path: String, kind: FileKind)
    /// A system call failed.
    case system(path: String, operation: Operation, errno: ErrnoValue)

    /// The destination.
    public var path: String {
        switch self {
        case .insideForbiddenRoot(let path, _), .notARegularFile(let path, _), .system(let path, _, _): path
        }
    }

    public var description: String {
        switch self {
        case .insideForbiddenRoot(let path, let root):
            "refusing to write \(path): it is inside the watched volume \(root)"
        case .notARegularFile(let path, let kind):
            "refusing to replace \(path): it is \(kind), not a regular file; remove it or choose another path"
        case .system(let path, let operation, let errno):
            "cannot write \(path): \(operation.rawValue) failed: \(errno)"
        }
    }
}
