/// Why a byte string is not a Go double-quoted string literal, and where.
///
/// Go's `strconv.Unquote` only says `invalid syntax`; this error names the first problem
/// found scanning left to right, so a user can find it in a 256 KiB annotations file.
public struct GoLiteralError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problem, independent of where it is.
    public enum Kind: Sendable, Equatable, CustomStringConvertible {
        /// The input is empty or does not start with `"`.
        case notDoubleQuoted
        /// The input ends before the closing `"` (possibly inside an escape sequence).
        case missingClosingQuote
        /// A raw line feed inside the quotes: Go writes it as `\n`.
        case rawNewline
        /// A `"` ends the literal early although more of it follows (Go writes `\"`).
        case unescapedQuote
        /// Bytes follow the closing `"`, none of them a `"` (else it is `unescapedQuote`).
        case trailingBytes
        /// A backslash followed by a byte that starts no escape sequence (`\e`, `\'`, `\9`).
        case invalidEscape(UInt8)
        /// `\x`, `\u` or `\U` (the letter given) without 2, 4 or 8 hex digits.
        case invalidHexEscape(UInt8)
        /// A backslash and an octal digit not followed by two more octal digits (`\0`, `\19`).
        case invalidOctalEscape
        /// An octal escape above `\377`; the value is given.
        case octalEscapeOutOfRange(UInt32)
        /// `\u` or `\U` naming a surrogate or a value above U+10FFFF; the value is given.
        case invalidCodePoint(UInt32)

        public var description: String {
            switch self {
            case .notDoubleQuoted:
                return "not a Go double-quoted string literal (it must start with '\"')"
            case .missingClosingQuote:
                return "missing closing '\"'"
            case .rawNewline:
                return "raw newline inside the quotes (Go writes \\n)"
            case .unescapedQuote:
                return "unescaped '\"' ends the string early"
            case .trailingBytes:
                return "unexpected bytes after the closing '\"'"
            case .invalidEscape(let byte):
                if byte >= 0x21 && byte <= 0x7E {
                    return "invalid escape \"\\\(Character(Unicode.Scalar(byte)))\""
                }
                return "invalid escape: backslash followed by byte \(Self.hexByte(byte))"
            case .invalidHexEscape(let letter):
                let digits = letter == UInt8(ascii: "x") ? 2 : letter == UInt8(ascii: "u") ? 4 : 8
                return "invalid escape \"\\\(Character(Unicode.Scalar(letter)))\": "
                    + "it needs \(digits) hex digits"
            case .invalidOctalEscape:
                return "invalid octal escape: it needs 3 octal digits (a lone \\0 is not allowed)"
            case .octalEscapeOutOfRange(let value):
                return "octal escape \"\\\(String(value, radix: 8))\" is above \\377 (255)"
            case .invalidCodePoint(let value):
                let kind = (0xD800...0xDFFF).contains(value) ? "a surrogate" : "above U+10FFFF"
                return "escape names \(kind), 0x\(String(value, radix: 16, uppercase: true)), "
                    + "which is not a Unicode scalar value"
            }
        }

        private static func hexByte(_ byte: UInt8) -> String {
            let hex = String(byte, radix: 16, uppercase: true)
            return byte < 0x10 ? "0x0" + hex : "0x" + hex
        }
    }

    /// Offset of the problem in the literal, counted in bytes from its opening quote (0):
    /// the backslash of a bad escape, the offending byte, or the literal's length when it
    /// ends too early.
    public var offset: Int
    /// What is wrong.
    public var kind: Kind

    public init(offset: Int, kind: Kind) {
        self.offset = offset
        self.kind = kind
    }

    /// What is wrong, in words (without the offset), e.g. `invalid escape "\e"`.
    public var reason: String { kind.description }

    /// One sentence, e.g. `invalid escape "\e" at byte 17`.
    public var description: String { "\(kind) at byte \(offset)" }
}
