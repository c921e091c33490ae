/// Kubernetes' rules for label keys and values, ported from apimachinery
/// `pkg/api/validate/content` (`IsLabelKey`, `IsLabelValue`, `IsDNS1123Subdomain`).
///
/// Each function returns the problems found, in upstream's order and wording (without the
/// regular expressions upstream appends); an empty list means valid.
public enum LabelSyntax {
    /// Longest name part of a key, and longest value.
    public static let maxNameLength = 63
    /// Longest key prefix (a DNS subdomain).
    public static let maxPrefixLength = 253

    /// `[prefix/]name`: prefix a lowercase DNS-1123 subdomain of at most 253 bytes, name at
    /// most 63 bytes of `[A-Za-z0-9._-]` starting and ending alphanumeric.
    public static func keyProblems(_ key: String) -> [String] {
        var problems: [String] = []
        let parts = key.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        let name: Substring.UTF8View.SubSequence
        switch parts.count {
        case 1:
            name = parts[0]
        case 2:
            let prefix = parts[0]
            name = parts[1]
            if prefix.isEmpty {
                problems.append("prefix part must be non-empty")
            } else {
                problems.append(contentsOf: dns1123SubdomainProblems(Array(prefix)).map { "prefix part " + $0 })
            }
        default:
            return [
                "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
            ]
        }
        if name.isEmpty {
            problems.append("name part must be non-empty")
        } else if name.count > maxNameLength {
            problems.append("name part must be no more than \(maxNameLength) bytes")
        }
        if !isQualifiedNamePart(Array(name)) {
            problems.append(
                "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc')"
            )
        }
        return problems
    }

    /// Empty, or at most 63 bytes of `[A-Za-z0-9._-]` starting and ending alphanumeric.
    public static func valueProblems(_ value: String) -> [String] {
        var problems: [String] = []
        let bytes = Array(value.utf8)
        if bytes.count > maxNameLength {
            problems.append("must be no more than \(maxNameLength) bytes")
        }
        if !bytes.isEmpty && !isQualifiedNamePart(bytes) {
            problems.append(
                "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345')"
            )
        }
        return problems
    }

    /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`
    static func isQualifiedNamePart(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first, let last = bytes.last, isAlphanumeric(first), isAlphanumeric(last) else {
            return false
        }
        return bytes.allSatisfy {
            isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
        }
    }

    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*`, at most 253 bytes.
    static func dns1123SubdomainProblems(_ bytes: [UInt8]) -> [String] {
        var problems: [String] = []
        if bytes.count > maxPrefixLength {
            problems.append("must be no more than \(maxPrefixLength) bytes")
        }
        let labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        let valid = labels.allSatisfy { label in
            guard let first = label.first, let last = label.last, isLowerAlphanumeric(first), isLowerAlphanumeric(last)
            else { return false }
            return label.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }
        }
        if !valid {
            problems.append(
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')"
            )
        }
        return problems
    }

    static func isAlphanumeric(_ b: UInt8) -> Bool {
        isLowerAlphanumeric(b) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
    }

    static func isLowerAlphanumeric(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
    }
}
