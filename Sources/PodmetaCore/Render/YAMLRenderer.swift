/// Writes the snapshot document as YAML (`snapshot --format yaml`) that every YAML parser,
/// YAML 1.1 ones such as PyYAML included, reads back to exactly the JSON document.
///
/// Block style, two-space indentation, members sorted by key bytes as in the JSON file.
/// Ambiguity is avoided rather than managed:
///
/// - Every string value is double-quoted with JSON's escapes (`\"`, `\\`, `\n`, `\t`,
///   `\u0007`, ...), which YAML's double-quoted style shares, so `"no"`, `"1.0"`, `"~"` or
///   `"2026-01-01"` stay strings under any schema. Besides C0 controls and DEL, the
///   characters YAML does not allow raw or reads as line breaks are escaped too: C1
///   controls (U+0080–U+009F, NEL among them), U+2028, U+2029, U+FEFF, U+FFFE, U+FFFF.
///   Everything else, non-ASCII included, is written as UTF-8.
/// - A key is written plain only when it is an identifier (`[A-Za-z_][A-Za-z0-9_-]*`) that
///   no YAML 1.1 schema resolves to a boolean or null (`on`, `no`, `y`, `null`, ...);
///   other keys (`app.kubernetes.io/name`) are double-quoted like values.
/// - Integers are written as in JSON; fractional numbers as in JSON but always with a `.`
///   and a signed exponent (`1.0e-05`), because YAML 1.1 reads `1e-05` as a string.
/// - Empty objects and arrays are `{}` and `[]`.
public struct YAMLRenderer: Sendable {
    public init() {}

    /// The YAML for a snapshot at `revision`.
    public func render(_ snapshot: PodSnapshot, revision: UInt64) -> [UInt8] {
        render(document: snapshot.document(revision: revision))
    }

    /// The YAML for any JSON document; ends with a newline.
    public func render(document: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        switch document {
        case .object(let members) where !members.isEmpty:
            writeMembers(members, indent: 0, into: &out)
        case .array(let elements) where !elements.isEmpty:
            writeElements(elements, indent: 0, into: &out)
        default:
            writeScalar(document, into: &out)
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    /// The text of `document` as a String.
    public func string(document: JSONValue) -> String {
        String(decoding: render(document: document), as: UTF8.self)
    }

    /// `inline`: the first line continues a sequence entry's `- ` and takes no indentation.
    private func writeMembers(
        _ members: [String: JSONValue], indent: Int, inline: Bool = false, into out: inout [UInt8]
    ) {
        for (index, key) in JSONRenderer.sortedKeys(members).enumerated() {
            if index > 0 || !inline { pad(indent, into: &out) }
            YAMLRenderer.writeKey(key, into: &out)
            out.append(UInt8(ascii: ":"))
            writeNested(members[key]!, indent: indent, into: &out)
        }
    }

    private func writeElements(_ elements: [JSONValue], indent: Int, inline: Bool = false, into out: inout [UInt8]) {
        for (index, element) in elements.enumerated() {
            if index > 0 || !inline { pad(indent, into: &out) }
            out.append(UInt8(ascii: "-"))
            switch element {
            case .object(let members) where !members.isEmpty:
                out.append(UInt8(ascii: " "))
                writeMembers(members, indent: indent + 2, inline: true, into: &out)
            case .array(let inner) where !inner.isEmpty:
                out.append(UInt8(ascii: " "))
                writeElements(inner, indent: indent + 2, inline: true, into: &out)
            default:
                out.append(UInt8(ascii: " "))
                writeScalar(element, into: &out)
                out.append(UInt8(ascii: "\n"))
            }
        }
    }

    /// What follows `key:`: a scalar on the same line, or a block on the next lines.
    private func writeNested(_ value: JSONValue, indent: Int, into out: inout [UInt8]) {
        switch value {
        case .object(let members) where !members.isEmpty:
            out.append(UInt8(ascii: "\n"))
            writeMembers(members, indent: indent + 2, into: &out)
        case .array(let elements) where !elements.isEmpty:
            out.append(UInt8(ascii: "\n"))
            writeElements(elements, indent: indent + 2, into: &out)
        default:
            out.append(UInt8(ascii: " "))
            writeScalar(value, into: &out)
            out.append(UInt8(ascii: "\n"))
        }
    }

    private func pad(_ indent: Int, into out: inout [UInt8]) {
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
    }

    private func writeScalar(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d): out.append(contentsOf: YAMLRenderer.number(d).utf8)
        case .string(let s): YAMLRenderer.writeQuoted(s, into: &out)
        case .array: out.append(contentsOf: "[]".utf8)
        case .object: out.append(contentsOf: "{}".utf8)
        }
    }

    /// JSON's number text, made a float for YAML 1.1 too: `1e-05` becomes `1.0e-05`.
    static func number(_ d: Double) -> String {
        let text = JSONRenderer.format(d)
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text }
        var mantissa = String(text[..<e])
        var exponent = String(text[text.index(after: e)...])
        if !mantissa.contains(".") { mantissa += ".0" }
        if exponent.first != "-" && exponent.first != "+" { exponent = "+" + exponent }
        return mantissa + "e" + exponent
    }

    /// Words YAML 1.1 resolves to booleans or null when plain.
    static let reservedPlainWords: Set<String> = [
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
        "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL",
    ]

    static func isPlainKey(_ key: String) -> Bool {
        guard let first = key.utf8.first, !reservedPlainWords.contains(key) else { return false }
        guard EnvironmentVariable.isLetter(first) || first == UInt8(ascii: "_") else { return false }
        return key.utf8.allSatisfy {
            EnvironmentVariable.isLetter($0) || EnvironmentVariable.isDigit($0)
                || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
        }
    }

    static func writeKey(_ key: String, into out: inout [UInt8]) {
        if isPlainKey(key) {
            out.append(contentsOf: key.utf8)
        } else {
            writeQuoted(key, into: &out)
        }
    }

    static func writeQuoted(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0x22: out.append(contentsOf: #"\""#.utf8)
            case 0x5C: out.append(contentsOf: #"\\"#.utf8)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            case 0x08: out.append(contentsOf: #"\b"#.utf8)
            case 0x0C: out.append(contentsOf: #"\f"#.utf8)
            case 0x00..<0x20, 0x7F...0x9F, 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF:
                out.append(contentsOf: #"\u"#.utf8)
                for shift in stride(from: 12, through: 0, by: -4) {
                    let nibble = UInt8((scalar.value >> UInt32(shift)) & 0xF)
                    out.append(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10)
                }
            default:
                out.append(contentsOf: String(scalar).utf8)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
