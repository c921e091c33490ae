/// Why a request of ``UnixSocketHTTPClient`` failed.
public struct UnixSocketHTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Nothing listens on the path (missing file, or connection refused).
        case unreachable
        /// Connecting was refused for lack of permission.
        case permissionDenied
        /// No complete answer within the timeout.
        case timeout
        /// Reading or writing failed, or the answer is not HTTP.
        case failed
    }

    /// The socket path.
    public var path: String
    public var kind: Kind
    /// What happened, e.g. `connect failed: Connection refused (ECONNREFUSED)`.
    public var reason: String

    public init(path: String, kind: Kind, reason: String) {
        self.path = path
        self.kind = kind
        self.reason = reason
    }

    public var description: String { "socket \(path): \(reason)" }
}
