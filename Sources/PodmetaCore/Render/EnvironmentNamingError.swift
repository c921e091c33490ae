/// A variable prefix that would produce invalid or dangerous variable names.
public struct EnvironmentNamingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with the prefix.
    public enum Reason: Sendable, Equatable {
        /// Not the start of a shell variable name.
        case invalidCharacters
        /// Empty: the names would be `NAME`, `UID`, `IP`, ... (bash refuses to set `UID`).
        case empty
        /// A name built with the prefix is one the shell or the system defines.
        case reservedName(String)
    }

    /// The prefix as given.
    public var prefix: String
    public var reason: Reason

    public init(prefix: String, reason: Reason = .invalidCharacters) {
        self.prefix = prefix
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .invalidCharacters:
            "invalid variable prefix \"\(prefix)\": it must start with a letter or \"_\" and contain only ASCII letters, digits and \"_\""
        case .empty:
            "the variable prefix cannot be empty: the names would be NAME, UID, IP, ..., and UID belongs to the shell; use a prefix such as POD_"
        case .reservedName(let name):
            "the variable prefix \"\(prefix)\" would name a variable \(name), which the shell or the system defines; use a prefix such as POD_"
        }
    }
}
