/// Writes the snapshot document as a Java `.properties` file (`snapshot --format properties`)
/// that `java.util.Properties.load` reads back exactly, from an `InputStream` (ISO-8859-1)
/// or a `Reader`.
///
/// Key scheme: the document's path with `.` between levels, the Kubernetes keys unchanged
/// after their section name. A flat map needs no escaping of the levels, because every
/// section's keys are unique on their own:
///
/// ```
/// annotations.example.com/note=multi\nline
/// apiVersion=podmeta/v1
/// labels.app.kubernetes.io/name=shop
/// pod.ips=10.1.2.3,fd00\:\:3
/// pod.name=web-0
/// resources.limits.cpu.millicores=500
/// revision=7
/// ```
///
/// Lists of scalars (`pod.ips`) are joined with `,`, as Spring and Commons Configuration
/// read them; empty sections and absent fields produce no line. Lines are in the document's
/// order (members sorted by key bytes at every level).
///
/// Escaping is what `Properties.store` writes: in keys and values `\`, `=`, `:`, `#`, `!`,
/// tab, line feed, carriage return and form feed are escaped; in keys every space, in
/// values only a leading one (the reader skips whitespace before a value); everything
/// outside printable ASCII as `\uXXXX`, with UTF-16 surrogate pairs above U+FFFF.
public struct PropertiesRenderer: Sendable {
    public init() {}

    /// The properties for a snapshot at `revision`.
    public func render(_ snapshot: PodSnapshot, revision: UInt64) -> [UInt8] {
        render(document: snapshot.document(revision: revision))
    }

    /// The properties for any JSON document.
    public func render(document: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        flatten(document, path: "", into: &out)
        return out
    }

    private func flatten(_ value: JSONValue, path: String, into out: inout [UInt8]) {
        switch value {
        case .object(let members):
            for key in JSONRenderer.sortedKeys(members) {
                flatten(members[key]!, path: path.isEmpty ? key : path + "." + key, into: &out)
            }
        case .array(let elements):
            if let texts = elements.map(PropertiesRenderer.scalarText).allNonNil() {
                line(path, texts.joined(separator: ","), into: &out)
            } else {
                for (index, element) in elements.enumerated() {
                    flatten(element, path: "\(path).\(index)", into: &out)
                }
            }
        default:
            line(path, PropertiesRenderer.scalarText(value) ?? "", into: &out)
        }
    }

    private func line(_ key: String, _ value: String, into out: inout [UInt8]) {
        PropertiesRenderer.escape(key, isKey: true, into: &out)
        out.append(UInt8(ascii: "="))
        PropertiesRenderer.escape(value, isKey: false, into: &out)
        out.append(UInt8(ascii: "\n"))
    }

    static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .null: ""
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .double(let d): JSONRenderer.format(d)
        case .string(let s): s
        case .array, .object: nil
        }
    }

    /// Java's `Properties.saveConvert(text, escapeSpace: isKey, escUnicode: true)`.
    static func escape(_ text: String, isKey: Bool, into out: inout [UInt8]) {
        var first = true
        for unit in text.utf16 {
            defer { first = false }
            switch unit {
            case UInt16(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case UInt16(ascii: " "):
                if isKey || first { out.append(UInt8(ascii: "\\")) }
                out.append(UInt8(ascii: " "))
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0x0C: out.append(contentsOf: #"\f"#.utf8)
            case UInt16(ascii: "="), UInt16(ascii: ":"), UInt16(ascii: "#"), UInt16(ascii: "!"):
                out.append(UInt8(ascii: "\\"))
                out.append(UInt8(unit))
            case 0x20...0x7E:
                out.append(UInt8(unit))
            default:
                out.append(contentsOf: #"\u"#.utf8)
                for shift in stride(from: 12, through: 0, by: -4) {
                    let nibble = UInt8((unit >> UInt16(shift)) & 0xF)
                    out.append(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10)
                }
            }
        }
    }
}

extension UInt16 {
    fileprivate init(ascii scalar: Unicode.Scalar) {
        self = UInt16(UInt8(ascii: scalar))
    }
}

extension Array {
    /// The unwrapped elements when none is nil.
    fileprivate func allNonNil<T>() -> [T]? where Element == T? {
        var result: [T] = []
        result.reserveCapacity(count)
        for element in self {
            guard let element else { return nil }
            result.append(element)
        }
        return result
    }
}
