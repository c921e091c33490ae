/// One environment variable derived from a snapshot: its name, its value, and the snapshot
/// field it came from.
public struct EnvironmentVariable: Sendable, Hashable {
    /// The variable name, e.g. `POD_LABEL_APP_KUBERNETES_IO_NAME`.
    public var name: String
    /// The value, exactly as it should appear in the environment.
    public var value: String
    /// The field it came from, in the `section/key` form that hooks also use:
    /// `pod/name`, `labels/app.kubernetes.io/name`, `annotations/example.com/note`,
    /// `resources/limits/cpu`.
    public var source: String

    public init(name: String, value: String, source: String) {
        self.name = name
        self.value = value
        self.source = source
    }

    /// Whether `name` can be a variable name for every consumer podmeta writes for: POSIX
    /// shells (`export NAME=...`), Docker's `--env-file` and systemd's `EnvironmentFile=`
    /// all accept exactly ASCII letters, digits and `_`, not starting with a digit.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !isDigit(first) else { return false }
        return name.utf8.allSatisfy { isDigit($0) || isLetter($0) || $0 == UInt8(ascii: "_") }
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
    }
}
