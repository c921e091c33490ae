/// Go double-quoted string literals, as `strconv.Quote` (`%q`) writes them and
/// `strconv.Unquote` reads them: the value encoding of the kubelet's `metadata.labels` and
/// `metadata.annotations` downward API files.
///
/// Values are bytes, not Strings: a Go string may hold any bytes, and `\xNN` or `\NNN`
/// escapes can spell invalid UTF-8.
public enum GoStringLiteral {
    private static let backslash = UInt8(ascii: "\\")
    private static let quoteMark = UInt8(ascii: "\"")
    private static let newline = UInt8(ascii: "\n")
    private static let lowerHex: [UInt8] = Array("0123456789abcdef".utf8)

    // MARK: Unquote

    /// Decodes a Go double-quoted string literal, quotes included, exactly as Go's
    /// `strconv.Unquote` does, and returns the bytes of the string it denotes.
    ///
    /// Accepted escapes: `\a \b \f \n \r \t \v \\ \"`, `\xNN` and `\NNN` (3 octal digits,
    /// at most `\377`) giving one raw byte each, `\uNNNN` and `\UNNNNNNNN` giving the UTF-8
    /// of a Unicode scalar value; hex digits may be upper or lower case. Other bytes stand
    /// for themselves, except that each byte of raw invalid UTF-8 becomes U+FFFD, as in Go.
    ///
    /// - Throws: `GoLiteralError` for `\'`, an unknown escape such as `\e`, a short escape
    ///   such as a lone `\0`, a surrogate or a value above U+10FFFF, a raw newline, an
    ///   unescaped `"`, a missing closing quote, or bytes after the closing quote.
    public static func unquote<C: Collection<UInt8>>(_ literal: C) throws(GoLiteralError) -> [UInt8] {
        let contiguous: Result<[UInt8], GoLiteralError>? = literal.withContiguousStorageIfAvailable { buffer in
            Result { () throws(GoLiteralError) -> [UInt8] in try decode(buffer).bytes }
        }
        if let contiguous { return try contiguous.get() }
        let copy = Array(literal)
        let result: Result<[UInt8], GoLiteralError> = copy.withUnsafeBufferPointer { buffer in
            Result { () throws(GoLiteralError) -> [UInt8] in try decode(buffer).bytes }
        }
        return try result.get()
    }

    /// Where in `literal` (an offset from its opening quote) the escape or character that
    /// produced byte `outputIndex` of its decoded value starts, or nil if decoding fails or
    /// ends before that byte. Lets a caller point at the `\xff` that made a value invalid
    /// UTF-8; decoding stops there, so a later error in `literal` goes unnoticed.
    static func sourceOffset(ofOutputByte outputIndex: Int, in literal: UnsafeBufferPointer<UInt8>) -> Int? {
        (try? decode(literal, locatingOutputByte: outputIndex))?.located
    }

    /// What `decode` found.
    struct Decoded {
        /// The value's bytes (a prefix of them when decoding stopped at a located byte).
        var bytes: [UInt8]
        /// The source offset of the unit that produced the byte asked for, if it was reached.
        var located: Int?
        /// Whether a `\x` or octal escape produced a byte >= 0x80: only then can `bytes`
        /// be invalid UTF-8 (raw bytes are decoded as runes, `\u` escapes are scalars).
        var hasEscapedHighBytes: Bool
        /// Where the first raw byte of invalid UTF-8 is (it became U+FFFD), if any. Go
        /// accepts such a literal; `strconv.Quote` never writes one (it escapes the byte).
        var firstRawInvalidByte: Int? = nil
    }

    /// The decoder behind `unquote`. With `locatingOutputByte` set, it stops as soon as
    /// that output byte exists and reports where the unit that produced it starts.
    static func decode(
        _ literal: UnsafeBufferPointer<UInt8>,
        locatingOutputByte target: Int = .max
    ) throws(GoLiteralError) -> Decoded {
        let count = literal.count
        guard count > 0, literal[0] == quoteMark else {
            throw GoLiteralError(offset: 0, kind: .notDoubleQuoted)
        }
        var output: [UInt8] = []
        output.reserveCapacity(count - 1)
        var hasEscapedHighBytes = false
        var firstRawInvalidByte: Int?
        var index = 1
        while index < count {
            let unitStart = index
            let byte = literal[index]
            if byte == quoteMark { break }
            if byte == backslash {
                if try decodeEscape(literal, at: &index, into: &output) { hasEscapedHighBytes = true }
            } else if byte == newline {
                throw GoLiteralError(offset: index, kind: .rawNewline)
            } else if byte < 0x80 {
                // Copy a run of plain ASCII at once: most of any real value.
                let end = ByteScan.plainLiteralRunEnd(in: literal, from: index + 1)
                if target != .max && output.count + (end - index) > target {
                    let located = index + (target - output.count)
                    return Decoded(bytes: output, located: located, hasEscapedHighBytes: hasEscapedHighBytes)
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: literal[index..<end]))
                index = end
                continue
            } else {
                let decoded = GoUTF8.decode(literal, at: index)
                if decoded.isValid {
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: literal[index..<(index + decoded.width)]))
                } else {
                    // Go's UnquoteChar decodes raw bytes as runes: invalid ones become U+FFFD.
                    if firstRawInvalidByte == nil { firstRawInvalidByte = index }
                    output.append(0xEF)
                    output.append(0xBF)
                    output.append(0xBD)
                }
                index += decoded.width
            }
            if output.count > target {
                return Decoded(bytes: output, located: unitStart, hasEscapedHighBytes: hasEscapedHighBytes)
            }
        }
        guard index < count else {
            throw GoLiteralError(offset: count, kind: .missingClosingQuote)
        }
        // index is at the closing quote.
        if index + 1 < count {
            let rest = UnsafeBufferPointer(rebasing: literal[(index + 1)...])
            if rest.contains(quoteMark) {
                throw GoLiteralError(offset: index, kind: .unescapedQuote)
            }
            throw GoLiteralError(offset: index + 1, kind: .trailingBytes)
        }
        return Decoded(
            bytes: output, located: nil, hasEscapedHighBytes: hasEscapedHighBytes,
            firstRawInvalidByte: firstRawInvalidByte)
    }

    /// Decodes the escape whose backslash is at `index` and moves `index` past it
    /// (Go's `UnquoteChar` with quote `"`). Errors point at the backslash. Returns whether
    /// the escape produced a raw byte >= 0x80.
    @inline(__always)
    private static func decodeEscape(
        _ literal: UnsafeBufferPointer<UInt8>,
        at index: inout Int,
        into output: inout [UInt8]
    ) throws(GoLiteralError) -> Bool {
        let start = index
        let count = literal.count
        guard start + 1 < count else {
            throw GoLiteralError(offset: count, kind: .missingClosingQuote)
        }
        let letter = literal[start + 1]
        switch letter {
        case UInt8(ascii: "a"): output.append(0x07)
        case UInt8(ascii: "b"): output.append(0x08)
        case UInt8(ascii: "f"): output.append(0x0C)
        case UInt8(ascii: "n"): output.append(0x0A)
        case UInt8(ascii: "r"): output.append(0x0D)
        case UInt8(ascii: "t"): output.append(0x09)
        case UInt8(ascii: "v"): output.append(0x0B)
        case backslash, quoteMark: output.append(letter)
        case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
            let digits = letter == UInt8(ascii: "x") ? 2 : letter == UInt8(ascii: "u") ? 4 : 8
            guard start + 2 + digits <= count else {
                throw GoLiteralError(offset: start, kind: .invalidHexEscape(letter))
            }
            var value: UInt32 = 0
            for position in (start + 2)..<(start + 2 + digits) {
                guard let digit = hexValue(literal[position]) else {
                    throw GoLiteralError(offset: start, kind: .invalidHexEscape(letter))
                }
                value = value << 4 | digit
            }
            index = start + 2 + digits
            if letter == UInt8(ascii: "x") {
                output.append(UInt8(truncatingIfNeeded: value))  // a raw byte, maybe not UTF-8
                return value >= 0x80
            }
            guard value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else {
                throw GoLiteralError(offset: start, kind: .invalidCodePoint(value))
            }
            GoUTF8.append(value, to: &output)
            return false
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            guard start + 4 <= count else {
                throw GoLiteralError(offset: start, kind: .invalidOctalEscape)
            }
            var value = UInt32(letter - UInt8(ascii: "0"))
            for position in (start + 2)..<(start + 4) {
                let digit = literal[position]
                guard digit >= UInt8(ascii: "0") && digit <= UInt8(ascii: "7") else {
                    throw GoLiteralError(offset: start, kind: .invalidOctalEscape)
                }
                value = value << 3 | UInt32(digit - UInt8(ascii: "0"))
            }
            guard value <= 0xFF else {
                throw GoLiteralError(offset: start, kind: .octalEscapeOutOfRange(value))
            }
            output.append(UInt8(truncatingIfNeeded: value))
            index = start + 4
            return value >= 0x80
        default:
            // Includes \' : Go accepts it only in single-quoted (rune) literals.
            throw GoLiteralError(offset: start, kind: .invalidEscape(letter))
        }
        index = start + 2
        return false
    }

    @inline(__always)
    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    // MARK: Quote

    /// Encodes `bytes` as a Go double-quoted string literal exactly as Go 1.19's
    /// `strconv.Quote` does (and so as the kubelet's `%q` does, when built with Go 1.19).
    ///
    /// `"` and `\` are backslashed; `\a \b \f \n \r \t \v` are used for those controls;
    /// other bytes below 0x20, 0x7F and each byte of invalid UTF-8 become lowercase `\xNN`;
    /// runes that Go 1.19 does not consider printable (NBSP, soft hyphen, U+200B, U+2028,
    /// U+FEFF, C1 controls, private use, unassigned in Unicode 13) become `\uNNNN` or
    /// `\UNNNNNNNN`; printable runes are copied as UTF-8.
    ///
    /// Printability follows Go 1.19's Unicode 13 tables: a kubelet built with another Go
    /// release may escape differently, so decode its files and never compare re-encodings.
    public static func quote(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 8 + 2)
        output.append(quoteMark)
        bytes.withUnsafeBufferPointer { buffer in
            var index = 0
            while index < buffer.count {
                let byte = buffer[index]
                if byte < 0x80 {
                    appendEscaped(UInt32(byte), to: &output)
                    index += 1
                    continue
                }
                let decoded = GoUTF8.decode(buffer, at: index)
                if !decoded.isValid {
                    appendHexByte(byte, to: &output)
                } else if GoIsPrint.isPrint(decoded.scalar) {
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[index..<(index + decoded.width)]))
                } else {
                    appendEscaped(decoded.scalar, to: &output)
                }
                index += decoded.width
            }
        }
        output.append(quoteMark)
        return String(decoding: output, as: UTF8.self)
    }

    /// Go's `appendEscapedRune` for `strconv.Quote`: `rune` is a Unicode scalar value.
    @inline(__always)
    private static func appendEscaped(_ rune: UInt32, to output: inout [UInt8]) {
        if rune == UInt32(quoteMark) || rune == UInt32(backslash) {
            output.append(backslash)
            output.append(UInt8(truncatingIfNeeded: rune))
            return
        }
        if rune < 0x80 {
            if rune >= 0x20 && rune < 0x7F {
                output.append(UInt8(truncatingIfNeeded: rune))
                return
            }
        } else if GoIsPrint.isPrint(rune) {
            GoUTF8.append(rune, to: &output)
            return
        }
        let short: UInt8?
        switch rune {
        case 0x07: short = UInt8(ascii: "a")
        case 0x08: short = UInt8(ascii: "b")
        case 0x0C: short = UInt8(ascii: "f")
        case 0x0A: short = UInt8(ascii: "n")
        case 0x0D: short = UInt8(ascii: "r")
        case 0x09: short = UInt8(ascii: "t")
        case 0x0B: short = UInt8(ascii: "v")
        default: short = nil
        }
        if let short {
            output.append(backslash)
            output.append(short)
        } else if rune < 0x20 || rune == 0x7F {
            appendHexByte(UInt8(truncatingIfNeeded: rune), to: &output)
        } else if rune < 0x1_0000 {
            output.append(backslash)
            output.append(UInt8(ascii: "u"))
            appendHexDigits(rune, count: 4, to: &output)
        } else {
            output.append(backslash)
            output.append(UInt8(ascii: "U"))
            appendHexDigits(rune, count: 8, to: &output)
        }
    }

    @inline(__always)
    private static func appendHexByte(_ byte: UInt8, to output: inout [UInt8]) {
        output.append(backslash)
        output.append(UInt8(ascii: "x"))
        output.append(lowerHex[Int(byte >> 4)])
        output.append(lowerHex[Int(byte & 0x0F)])
    }

    @inline(__always)
    private static func appendHexDigits(_ value: UInt32, count: Int, to output: inout [UInt8]) {
        var shift = (count - 1) * 4
        while shift >= 0 {
            output.append(lowerHex[Int((value >> UInt32(shift)) & 0x0F)])
            shift -= 4
        }
    }
}
