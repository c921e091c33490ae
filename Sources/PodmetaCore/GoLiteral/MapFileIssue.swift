/// A problem found in a kubelet map file (`metadata.labels` / `metadata.annotations` of a
/// downward API volume): where it is and what it is. Lenient parsing reports these as
/// warnings; strict parsing throws the malformed-line ones as `MapFileError`.
public struct MapFileIssue: Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public enum Kind: Sendable, Equatable, CustomStringConvertible {
        /// A non-empty line without `=`: not `key="value"`. Malformed.
        case missingEquals
        /// A line starting with `=`. Malformed.
        case emptyKey
        /// The key holds a byte that is not part of valid UTF-8 (the byte is given). Malformed.
        case keyNotUTF8(UInt8)
        /// The value is not a Go double-quoted string literal. Malformed.
        case invalidValue(key: String, GoLiteralError.Kind)
        /// The value decodes to bytes that are not valid UTF-8; they were replaced by U+FFFD.
        case valueNotUTF8(key: String)
        /// The literal itself holds raw bytes that are not valid UTF-8. Go's Unquote reads
        /// each as U+FFFD without complaint (and so do we), but Go's Quote, which the
        /// kubelet writes with, escapes them: the file was not written by the kubelet.
        /// Rejected in strict mode, a warning otherwise.
        case rawNotUTF8(key: String)
        /// The key appeared before, most recently on the given line; the later value wins.
        case duplicateKey(String, previousLine: Int)

        /// Whether the line was skipped (lenient) or rejected (strict), as opposed to
        /// accepted with a remark.
        public var isMalformedLine: Bool {
            switch self {
            case .missingEquals, .emptyKey, .keyNotUTF8, .invalidValue: return true
            case .valueNotUTF8, .rawNotUTF8, .duplicateKey: return false
            }
        }

        /// Whether strict parsing refuses the file for it.
        public var failsStrictParsing: Bool {
            if case .rawNotUTF8 = self { return true }
            return isMalformedLine
        }

        public var description: String {
            switch self {
            case .missingEquals:
                return "line has no \"=\" between key and value"
            case .emptyKey:
                return "empty key before \"=\""
            case .keyNotUTF8(let byte):
                return "key is not valid UTF-8 (byte 0x\(String(byte, radix: 16, uppercase: true)))"
            case .invalidValue(let key, let literalProblem):
                return "\(literalProblem) in value of \(Self.quoted(key))"
            case .valueNotUTF8(let key):
                return "value of \(Self.quoted(key)) is not valid UTF-8 (replaced by U+FFFD)"
            case .rawNotUTF8(let key):
                return
                    "value of \(Self.quoted(key)) holds raw bytes that are not valid UTF-8 (replaced by U+FFFD, as Go reads them; the kubelet would have escaped them)"
            case .duplicateKey(let key, let previousLine):
                return "duplicate key \(Self.quoted(key)) (also on line \(previousLine); the last value wins)"
            }
        }

        /// Keys are quoted Go-style so control characters cannot garble a log line.
        private static func quoted(_ key: String) -> String {
            GoStringLiteral.quote(Array(key.utf8))
        }
    }

    /// The file, as the caller named it.
    public var path: String
    /// 1-based line number.
    public var line: Int
    /// Offset of the problem in the file, in bytes from its start.
    public var byteOffset: Int
    /// What is wrong.
    public var kind: Kind

    public init(path: String, line: Int, byteOffset: Int, kind: Kind) {
        self.path = path
        self.line = line
        self.byteOffset = byteOffset
        self.kind = kind
    }

    /// What is wrong, in words, without path, line or offset.
    public var reason: String { kind.description }

    /// One sentence without the path (for callers that print the source themselves), e.g.
    /// `line 3: invalid escape "\e" in value of "example.com/x" at byte 57`.
    public var message: String { "line \(line): \(kind) at byte \(byteOffset)" }

    /// One sentence, e.g.
    /// `/etc/podinfo/annotations:3: invalid escape "\e" in value of "example.com/x" at byte 57`.
    public var description: String { "\(path):\(line): \(kind) at byte \(byteOffset)" }
}
