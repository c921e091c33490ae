/// The tokens of the label selector grammar (apimachinery `pkg/labels` `Token`).
enum SelectorToken: Sendable, Hashable {
    case error
    case endOfString
    case closedPar
    case comma
    case doesNotExist
    case doubleEquals
    case equals
    case greaterThan
    case identifier
    case `in`
    case lessThan
    case notEquals
    case notIn
    case openPar

    /// Literal spellings of the keyword and symbol tokens (upstream `string2token`).
    static let literals: [String: SelectorToken] = [
        ")": .closedPar, ",": .comma, "!": .doesNotExist, "==": .doubleEquals, "=": .equals,
        ">": .greaterThan, "in": .in, "<": .lessThan, "!=": .notEquals, "notin": .notIn, "(": .openPar,
    ]
}

/// One token with its text and where it starts.
struct SelectorScannedItem: Sendable, Hashable {
    var token: SelectorToken
    var literal: String
    var offset: Int
}

/// A byte-for-byte port of apimachinery's selector `Lexer`.
///
/// It keeps upstream's quirks on purpose, so a selector means the same here as in the API
/// server: whitespace is space, tab, CR and LF; identifiers are any run of bytes other than
/// whitespace and `=!(),<>`; special symbols are scanned greedily for the longest known
/// token; and a NUL byte acts as Go's end marker (`read()` returns 0 at the end): where a
/// token would start it ends the input, right after a token it ends that token and is
/// skipped (`a,\0b` is `a,b`; `a\0b` is two identifiers).
struct SelectorLexer {
    private let bytes: [UInt8]
    private var position = 0

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    private mutating func read() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func unread() {
        position -= 1
    }

    static func isWhitespace(_ ch: UInt8) -> Bool {
        ch == UInt8(ascii: " ") || ch == UInt8(ascii: "\t") || ch == UInt8(ascii: "\r") || ch == UInt8(ascii: "\n")
    }

    static func isSpecialSymbol(_ ch: UInt8) -> Bool {
        switch ch {
        case UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ","),
            UInt8(ascii: ">"), UInt8(ascii: "<"):
            true
        default: false
        }
    }

    /// The next token; after the end, `.endOfString` again.
    mutating func lex() -> SelectorScannedItem {
        var ch = read()
        while SelectorLexer.isWhitespace(ch) { ch = read() }
        if ch == 0 { return SelectorScannedItem(token: .endOfString, literal: "", offset: min(position, bytes.count)) }
        unread()
        return SelectorLexer.isSpecialSymbol(ch) ? scanSpecialSymbol() : scanIdentifierOrKeyword()
    }

    private mutating func scanIdentifierOrKeyword() -> SelectorScannedItem {
        let start = position
        var buffer: [UInt8] = []
        while true {
            let ch = read()
            if ch == 0 { break }
            if SelectorLexer.isSpecialSymbol(ch) || SelectorLexer.isWhitespace(ch) {
                unread()
                break
            }
            buffer.append(ch)
        }
        let text = String(decoding: buffer, as: UTF8.self)
        return SelectorScannedItem(token: SelectorToken.literals[text] ?? .identifier, literal: text, offset: start)
    }

    private mutating func scanSpecialSymbol() -> SelectorScannedItem {
        let start = position
        var last: SelectorScannedItem?
        var buffer: [UInt8] = []
        while true {
            let ch = read()
            if ch == 0 { break }
            guard SelectorLexer.isSpecialSymbol(ch) else {
                unread()
                break
            }
            buffer.append(ch)
            let text = String(decoding: buffer, as: UTF8.self)
            if let token = SelectorToken.literals[text] {
                last = SelectorScannedItem(token: token, literal: text, offset: start)
            } else if last != nil {
                unread()
                break
            }
        }
        // Unreachable with upstream's symbol table (every single symbol is a token), kept as
        // upstream has it.
        return last
            ?? SelectorScannedItem(
                token: .error, literal: "error expected: keyword found '\(String(decoding: buffer, as: UTF8.self))'",
                offset: start)
    }
}
