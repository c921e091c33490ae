import Glibc

/// An `errno` value with its symbolic name and the system's text, as carried by the typed
/// errors of podmeta's modules. ``description`` is the one way podmeta prints an errno.
public struct ErrnoValue: Error, Sendable, Hashable, CustomStringConvertible {
    public let code: Int32

    public init(_ code: Int32) {
        self.code = code
    }

    /// The calling thread's current `errno`.
    public static var current: ErrnoValue { ErrnoValue(errno) }

    /// `ENOSPC`, `EROFS`, ...; `errno N` for values this table does not name.
    public var symbol: String {
        switch code {
        case EPERM: "EPERM"
        case ENOENT: "ENOENT"
        case EINTR: "EINTR"
        case EIO: "EIO"
        case EBADF: "EBADF"
        case EAGAIN: "EAGAIN"
        case ENOMEM: "ENOMEM"
        case EACCES: "EACCES"
        case EBUSY: "EBUSY"
        case EEXIST: "EEXIST"
        case EXDEV: "EXDEV"
        case ENOTDIR: "ENOTDIR"
        case EISDIR: "EISDIR"
        case EINVAL: "EINVAL"
        case ENFILE: "ENFILE"
        case EMFILE: "EMFILE"
        case EFBIG: "EFBIG"
        case ENOSPC: "ENOSPC"
        case EROFS: "EROFS"
        case ENAMETOOLONG: "ENAMETOOLONG"
        case ENOSYS: "ENOSYS"
        case ENOTEMPTY: "ENOTEMPTY"
        case ELOOP: "ELOOP"
        case EDQUOT: "EDQUOT"
        case EOPNOTSUPP: "EOPNOTSUPP"
        case ESRCH: "ESRCH"
        case E2BIG: "E2BIG"
        case ENOEXEC: "ENOEXEC"
        case ECHILD: "ECHILD"
        case ETXTBSY: "ETXTBSY"
        case EPIPE: "EPIPE"
        case ENOTSOCK: "ENOTSOCK"
        case EADDRINUSE: "EADDRINUSE"
        case EADDRNOTAVAIL: "EADDRNOTAVAIL"
        case ECONNRESET: "ECONNRESET"
        case ENOTCONN: "ENOTCONN"
        case ETIMEDOUT: "ETIMEDOUT"
        case ECONNREFUSED: "ECONNREFUSED"
        default: "errno \(code)"
        }
    }

    /// strerror(3) text, e.g. `No space left on device`.
    public var message: String {
        guard let text = strerror(code) else { return "unknown error" }
        return String(cString: text)
    }

    /// `No space left on device (ENOSPC)`.
    public var description: String { "\(message) (\(symbol))" }
}
