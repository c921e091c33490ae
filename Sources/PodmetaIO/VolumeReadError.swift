/// The volume could not be read. Exit status 66 in the CLI.
public struct VolumeReadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why the read failed.
    public enum Kind: Sendable, Equatable {
        /// The volume root does not exist (yet, or any more).
        case missing
        /// A file or directory exists but cannot be read.
        case unreadable
        /// Generations changed faster than a read could finish.
        case unstable
    }

    /// The path that failed.
    public var path: String
    public var kind: Kind
    /// The system's or our own explanation.
    public var reason: String

    public init(path: String, kind: Kind, reason: String) {
        self.path = path
        self.kind = kind
        self.reason = reason
    }

    public var description: String {
        switch kind {
        case .missing: "cannot read volume \(path): it does not exist"
        case .unreadable, .unstable: "cannot read \(path): \(reason)"
        }
    }
}
