/// A variable prefix that would produce invalid variable names.
public struct EnvironmentNamingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The prefix as given.
    public var prefix: String

    public init(prefix: String) {
        self.prefix = prefix
    }

    public var description: String {
        "invalid variable prefix \"\(prefix)\": it must start with a letter or \"_\" and contain only ASCII letters, digits and \"_\""
    }
}
