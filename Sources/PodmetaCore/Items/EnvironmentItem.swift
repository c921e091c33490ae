/// An environment variable declared with `--env-item NAME=FIELD[@DIVISOR]`.
public struct EnvironmentItem: Sendable, Hashable {
    /// The variable's name.
    public var name: String
    /// What the kubelet put into it.
    public var field: FieldReference

    public init(name: String, field: FieldReference) {
        self.name = name
        self.field = field
    }

    /// Parses `NAME=FIELD[@DIVISOR]`.
    public init(parsing spec: String) throws(ItemSpecError) {
        guard let eq = spec.firstIndex(of: "="), eq != spec.startIndex else {
            throw ItemSpecError(spec: spec, reason: "expected NAME=FIELD, e.g. MY_ZONE=metadata.labels['zone']")
        }
        let name = String(spec[..<eq])
        guard
            name.utf8.allSatisfy({
                $0 == UInt8(ascii: "_") || ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A)
            })
        else {
            throw ItemSpecError(spec: spec, reason: "\"\(name)\" is not a valid environment variable name")
        }
        do {
            self.init(name: name, field: try FieldReference(parsing: String(spec[spec.index(after: eq)...])))
        } catch {
            throw ItemSpecError(spec: spec, reason: error.reason)
        }
    }
}
