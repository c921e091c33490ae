/// Why the socket server could not start or serve.
public struct SocketServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// The path does not fit `sun_path` (107 bytes plus the terminating NUL).
        case pathTooLong
        /// A live server already answers on the path.
        case alreadyServing
        /// Something other than a socket exists at the path; it is never deleted.
        case notASocket
        /// A system call failed.
        case systemCall
        /// The TCP listener of `metricsAddress` could not bind (`path` holds the address).
        case metricsListener
    }

    /// The socket path concerned.
    public var path: String
    public var kind: Kind
    /// Details: the system call and its error, or the kind of file found.
    public var reason: String

    public init(path: String, kind: Kind, reason: String) {
        self.path = path
        self.kind = kind
        self.reason = reason
    }

    public var description: String {
        switch kind {
        case .pathTooLong:
            "socket path \(path) is too long (\(reason)); a Unix socket path holds at most 107 bytes"
        case .alreadyServing:
            "another server is already listening on \(path) (\(reason)); stop it or choose another --socket path"
        case .notASocket:
            "\(path) exists and is \(reason), not a socket; it is left alone: remove it or choose another --socket path"
        case .systemCall:
            "socket \(path): \(reason)"
        case .metricsListener:
            "cannot listen for metrics on \(path) (\(reason)); choose another --metrics-address"
        }
    }
}
