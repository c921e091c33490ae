/// The configuration file is not valid.
public struct ConfigFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file.
    public var path: String
    /// The setting at fault (`hooks[1].command`), nil for the file as a whole.
    public var key: String?
    public var reason: String

    public init(path: String, key: String?, reason: String) {
        self.path = path
        self.key = key
        self.reason = reason
    }

    public var description: String {
        if let key { return "\(path): \(key) \(reason)" }
        return "\(path): \(reason)"
    }
}
