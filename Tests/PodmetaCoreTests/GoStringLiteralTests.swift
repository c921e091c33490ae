import Testing

@testable import PodmetaCore

/// GoStringLiteral.unquote against Go's own tables (strconv/quote_test.go of Go 1.19) and
/// against strconv.Unquote's answers recorded in Fixtures/gomap/unquote.vectors.
@Suite struct GoStringLiteralTests {
    private static func unquote(_ literal: String) throws(GoLiteralError) -> [UInt8] {
        try GoStringLiteral.unquote(Array(literal.utf8))
    }

    private static func error(of literal: [UInt8]) -> GoLiteralError? {
        do {
            _ = try GoStringLiteral.unquote(literal)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Ported from Go's unquotetests (the double-quoted rows)

    static let goUnquoteTests: [(literal: String, value: [UInt8])] = [
        (#""""#, []),
        (#""a""#, Array("a".utf8)),
        (#""abc""#, Array("abc".utf8)),
        (#""☺""#, Array("☺".utf8)),
        (#""hello world""#, Array("hello world".utf8)),
        (#""\xFF""#, [0xFF]),
        (#""\377""#, [0xFF]),
        (#""\u1234""#, Array("\u{1234}".utf8)),
        (#""\U00010111""#, Array("\u{10111}".utf8)),
        (#""\U0001011111""#, Array("\u{10111}11".utf8)),
        (#""\a\b\f\n\r\t\v\\\"""#, [0x07, 0x08, 0x0C, 0x0A, 0x0D, 0x09, 0x0B, 0x5C, 0x22]),
        (#""'""#, Array("'".utf8)),
    ]

    @Test(arguments: goUnquoteTests)
    func goUnquoteTable(literal: String, value: [UInt8]) throws {
        #expect(try Self.unquote(literal) == value)
    }

    /// Go's unquotetests also hold single-quoted and backquoted literals. Unquote accepts
    /// them; the kubelet never writes them, and this decoder is for double quotes only.
    static let goOtherQuoteForms: [String] = [
        #"'a'"#, #"'☹'"#, #"'\a'"#, #"'\x10'"#, #"'\377'"#, #"'\u1234'"#, #"'\U00010111'"#,
        #"'\t'"#, #"' '"#, #"'\''"#, #"'"'"#,
        "``", "`a`", "`abc`", "`☺`", "`hello world`", "`\\xFF`", "`\\377`", "`\\`", "`\n`",
        "`\t`", "` `", "`a\rb`",
    ]

    @Test(arguments: goOtherQuoteForms)
    func otherQuoteFormsAreRejected(literal: String) {
        #expect(Self.error(of: Array(literal.utf8)) == GoLiteralError(offset: 0, kind: .notDoubleQuoted))
    }

    // MARK: Ported from Go's quotetests, read backwards as TestUnquote does

    @Test(arguments: GoQuoteRoundTripTests.goQuoteTests)
    func goQuoteTableUnquotes(value: [UInt8], literal: String) throws {
        #expect(try Self.unquote(literal) == value)
    }

    // MARK: Ported from Go's misquoted list, with where and why each one fails

    static let goMisquoted: [(literal: String, offset: Int, kind: GoLiteralError.Kind)] = [
        ("", 0, .notDoubleQuoted),
        (#"""#, 1, .missingClosingQuote),
        (#""a"#, 2, .missingClosingQuote),
        (#""'"#, 2, .missingClosingQuote),
        (#"b""#, 0, .notDoubleQuoted),
        (#""\""#, 3, .missingClosingQuote),
        (#""\9""#, 1, .invalidEscape(UInt8(ascii: "9"))),
        (#""\19""#, 1, .invalidOctalEscape),
        (#""\129""#, 1, .invalidOctalEscape),
        (#"'\'"#, 0, .notDoubleQuoted),
        (#"'\9'"#, 0, .notDoubleQuoted),
        (#"'\19'"#, 0, .notDoubleQuoted),
        (#"'\129'"#, 0, .notDoubleQuoted),
        (#"'ab'"#, 0, .notDoubleQuoted),
        (#""\x1!""#, 1, .invalidHexEscape(UInt8(ascii: "x"))),
        (#""\U12345678""#, 1, .invalidCodePoint(0x1234_5678)),
        (#""\z""#, 1, .invalidEscape(UInt8(ascii: "z"))),
        ("`", 0, .notDoubleQuoted),
        ("`xxx", 0, .notDoubleQuoted),
        ("``x\r", 0, .notDoubleQuoted),
        ("`\"", 0, .notDoubleQuoted),
        (#""\'""#, 1, .invalidEscape(UInt8(ascii: "'"))),
        (#"'\"'"#, 0, .notDoubleQuoted),
        ("\"\n\"", 1, .rawNewline),
        ("\"\\n\n\"", 3, .rawNewline),
        ("'\n'", 0, .notDoubleQuoted),
        (#""\udead""#, 1, .invalidCodePoint(0xDEAD)),
        (#""\ud83d\ude4f""#, 1, .invalidCodePoint(0xD83D)),
    ]

    @Test(arguments: goMisquoted)
    func goMisquotedTable(literal: String, offset: Int, kind: GoLiteralError.Kind) {
        #expect(Self.error(of: Array(literal.utf8)) == GoLiteralError(offset: offset, kind: kind))
    }

    // MARK: Ported from Go's TestUnquoteInvalidUTF8 (issue 23685)

    static let goInvalidUTF8Tests: [(literal: [UInt8], value: [UInt8]?)] = [
        (Array(#""foo""#.utf8), Array("foo".utf8)),
        (Array(#""foo"#.utf8), nil),
        ([0x22, 0xC0, 0x22], [0xEF, 0xBF, 0xBD]),
        ([0x22, 0x61, 0xC0, 0x22], [0x61, 0xEF, 0xBF, 0xBD]),
        ([0x22, 0x5C, 0x74, 0xC0, 0x22], [0x09, 0xEF, 0xBF, 0xBD]),
    ]

    @Test(arguments: goInvalidUTF8Tests)
    func goInvalidUTF8Table(literal: [UInt8], value: [UInt8]?) {
        #expect((try? GoStringLiteral.unquote(literal)) == value)
    }

    // MARK: Beyond Go's tables

    static let accepted: [(literal: String, value: [UInt8])] = [
        (#""\xab\xAB\xaB""#, [0xAB, 0xAB, 0xAB]),
        (#""\u00e9\u00E9""#, Array("éé".utf8)),
        (#""\U0010FFFF\U0010ffff""#, Array("\u{10FFFF}\u{10FFFF}".utf8)),
        (#""\ud7ff\ue000""#, Array("\u{D7FF}\u{E000}".utf8)),
        (#""\000\007\077\377""#, [0x00, 0x07, 0x3F, 0xFF]),
        (#""\x00""#, [0x00]),
        (#""a\x80b""#, [0x61, 0x80, 0x62]),  // an escaped byte stays raw, even if not UTF-8
        (#""\xed\xa0\x80""#, [0xED, 0xA0, 0x80]),
        (#""a=b=\"c\"""#, Array("a=b=\"c\"".utf8)),
        ("\"tab\there\"", Array("tab\there".utf8)),  // raw tab
        ("\"cr\rhere\"", Array("cr\rhere".utf8)),  // raw carriage return: only \n is refused
        ("\"nul\u{0}here\"", Array("nul\u{0}here".utf8)),
        ("\"\u{2028}\u{FEFF}\"", Array("\u{2028}\u{FEFF}".utf8)),  // unescaped yet valid
        (#""\\\\""#, [0x5C, 0x5C]),
    ]

    @Test(arguments: accepted)
    func acceptedLiterals(literal: String, value: [UInt8]) throws {
        #expect(try Self.unquote(literal) == value)
    }

    static let rejected: [(literal: String, offset: Int, kind: GoLiteralError.Kind)] = [
        (#""\e""#, 1, .invalidEscape(UInt8(ascii: "e"))),
        (#""abc\0""#, 4, .invalidOctalEscape),
        (#""\0""#, 1, .invalidOctalEscape),
        (#""\00""#, 1, .invalidOctalEscape),
        (#""\08""#, 1, .invalidOctalEscape),
        (#""\400""#, 1, .octalEscapeOutOfRange(0o400)),
        (#""ok\777""#, 3, .octalEscapeOutOfRange(0o777)),
        (#""\8""#, 1, .invalidEscape(UInt8(ascii: "8"))),
        (#""\x""#, 1, .invalidHexEscape(UInt8(ascii: "x"))),
        (#""\xG0""#, 1, .invalidHexEscape(UInt8(ascii: "x"))),
        (#""\x4"#, 1, .invalidHexEscape(UInt8(ascii: "x"))),
        (#""\u12""#, 1, .invalidHexEscape(UInt8(ascii: "u"))),
        (#""\U0010FFF""#, 1, .invalidHexEscape(UInt8(ascii: "U"))),
        (#""\uD800""#, 1, .invalidCodePoint(0xD800)),
        (#""\udfff""#, 1, .invalidCodePoint(0xDFFF)),
        (#""\U0000d800""#, 1, .invalidCodePoint(0xD800)),
        (#""\U00110000""#, 1, .invalidCodePoint(0x11_0000)),
        (#""x\ "#, 2, .invalidEscape(UInt8(ascii: " "))),
        ("\"\\\n\"", 1, .invalidEscape(0x0A)),
        ("\"\\é\"", 1, .invalidEscape(0xC3)),
        ("\"line\nbreak\"", 5, .rawNewline),
        (#""a"b""#, 2, .unescapedQuote),
        (#""a""b""#, 2, .unescapedQuote),
        (#""abc" "#, 5, .trailingBytes),
        ("\"abc\"\r", 5, .trailingBytes),
        (#""\"#, 2, .missingClosingQuote),
        (#""abc\\"#, 6, .missingClosingQuote),
        (#""abc\""#, 6, .missingClosingQuote),
        (#" "a""#, 0, .notDoubleQuoted),
        (#"x"a""#, 0, .notDoubleQuoted),
    ]

    @Test(arguments: rejected)
    func rejectedLiterals(literal: String, offset: Int, kind: GoLiteralError.Kind) {
        #expect(Self.error(of: Array(literal.utf8)) == GoLiteralError(offset: offset, kind: kind))
    }

    static let descriptions: [(literal: String, description: String)] = [
        (#""abc\e""#, #"invalid escape "\e" at byte 4"#),
        (#""\'""#, #"invalid escape "\'" at byte 1"#),
        ("\"\\\u{1}\"", "invalid escape: backslash followed by byte 0x01 at byte 1"),
        (#""\x4z""#, #"invalid escape "\x": it needs 2 hex digits at byte 1"#),
        (#""\0""#, #"invalid octal escape: it needs 3 octal digits (a lone \0 is not allowed) at byte 1"#),
        (#""\400""#, #"octal escape "\400" is above \377 (255) at byte 1"#),
        (#""\ud800""#, "escape names a surrogate, 0xD800, which is not a Unicode scalar value at byte 1"),
        (#""\U00110000""#, "escape names above U+10FFFF, 0x110000, which is not a Unicode scalar value at byte 1"),
        ("\"a\nb\"", #"raw newline inside the quotes (Go writes \n) at byte 2"#),
        (#""a"b""#, #"unescaped '"' ends the string early at byte 2"#),
        (#""a"b"#, #"unexpected bytes after the closing '"' at byte 3"#),
        (#""abc"#, #"missing closing '"' at byte 4"#),
        ("abc", #"not a Go double-quoted string literal (it must start with '"') at byte 0"#),
    ]

    @Test(arguments: descriptions)
    func errorDescriptions(literal: String, description: String) {
        let error = Self.error(of: Array(literal.utf8))
        #expect(error?.description == description)
        #expect(error.map { "\($0.reason) at byte \($0.offset)" } == description)
    }

    // MARK: Any collection of bytes

    @Test func offsetsAreRelativeToTheLiteralInASlice() {
        let file = Array(#"key="ab\qc""#.utf8)
        let literal = file[4...]
        #expect(literal.startIndex == 4)
        #expect(throws: GoLiteralError(offset: 3, kind: .invalidEscape(UInt8(ascii: "q")))) {
            try GoStringLiteral.unquote(literal)
        }
    }

    @Test func acceptsNonContiguousAndStringCollections() throws {
        let literal = #""caf\u00e9 \x41""#
        let expected = Array("café A".utf8)
        #expect(try GoStringLiteral.unquote(literal.utf8) == expected)
        #expect(try GoStringLiteral.unquote(Array(literal.utf8).lazy.map { $0 }) == expected)
        #expect(try GoStringLiteral.unquote(Array(literal.utf8)[...]) == expected)
        #expect(throws: GoLiteralError(offset: 0, kind: .notDoubleQuoted)) {
            try GoStringLiteral.unquote([UInt8]().lazy.map { $0 })
        }
    }

    static let sourceOffsets: [(literal: String, outputByte: Int, offset: Int?)] = [
        (#""abc""#, 0, 1),
        (#""abc""#, 2, 3),
        (#""abc""#, 3, nil),
        (#""ab\tcd\x80""#, 2, 3),
        (#""ab\tcd\x80""#, 5, 7),
        (#""é\u00e9é""#, 1, 1),
        (#""é\u00e9é""#, 3, 3),
        (#""é\u00e9é""#, 4, 9),
        (#""\377x""#, 1, 5),
        (#""broken\q""#, 0, 1),  // located before the bad escape is reached
        (#""broken\q""#, 6, nil),
    ]

    @Test(arguments: sourceOffsets)
    func sourceOffsetOfAnOutputByte(literal: String, outputByte: Int, offset: Int?) {
        let bytes = Array(literal.utf8)
        let found = bytes.withUnsafeBufferPointer {
            GoStringLiteral.sourceOffset(ofOutputByte: outputByte, in: $0)
        }
        #expect(found == offset)
    }

    // MARK: Differential: strconv.Unquote's own answers

    /// Every vector: hand-picked edge cases and 3,000 random literals made of backslashes,
    /// quotes, escape letters, digits, newlines, controls and (in)valid UTF-8, with what
    /// Go 1.19's strconv.Unquote returned (fixtures, see Fixtures/gomap/README.md).
    static let unquoteVectors: [(literal: [UInt8], value: [UInt8]?)] = {
        GoMapFixtures.lines("unquote.vectors").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count == 2, fields[0].hasPrefix("in="),
                let literal = GoMapFixtures.hex(fields[0].dropFirst(3))
            else { return nil }
            if fields[1] == "err" { return (literal, nil) }
            guard fields[1].hasPrefix("out="), let value = GoMapFixtures.hex(fields[1].dropFirst(4)) else {
                return nil
            }
            return (literal, value)
        }
    }()

    @Test func unquoteVectorsAreAllThere() {
        #expect(Self.unquoteVectors.count == GoMapFixtures.lines("unquote.vectors").count)
        #expect(Self.unquoteVectors.count > 3000)
        #expect(Self.unquoteVectors.contains { $0.value == nil })
        #expect(Self.unquoteVectors.contains { $0.value != nil && $0.literal.contains(UInt8(ascii: "\\")) })
    }

    @Test func agreesWithStrconvUnquote() {
        var mismatches: [String] = []
        for (literal, value) in Self.unquoteVectors {
            let ours = try? GoStringLiteral.unquote(literal)
            if literal.first == UInt8(ascii: "\"") {
                if ours != value {
                    mismatches.append("\(literal): Go \(String(describing: value)), ours \(String(describing: ours))")
                }
            } else if ours != nil {
                // Go may accept '…' and `…`; a double-quote decoder must not.
                mismatches.append("\(literal): accepted although not double-quoted")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }

    // MARK: Word-at-a-time scans used by the decoder and the map parser

    @Test func byteScansMatchNaiveLoops() {
        var random = SplitMix64(seed: 0x5EED_0006)
        let interesting: [UInt8] = [0x22, 0x5C, 0x0A, 0x3D, 0x7F, 0x80, 0xFF, 0x00, 0x21, 0x5B, 0x0B, 0x09]
        for _ in 0..<3_000 {
            let count = random.below(40)
            let bytes = (0..<count).map { _ in
                random.below(5) == 0
                    ? interesting[random.below(interesting.count)]
                    : UInt8(truncatingIfNeeded: 0x20 + random.below(0x5F))
            }
            let start = random.below(count + 1)
            bytes.withUnsafeBufferPointer { buffer in
                for target: UInt8 in [0x0A, 0x3D] {
                    let naive = bytes[start...].firstIndex(of: target) ?? count
                    #expect(ByteScan.firstIndex(of: target, in: buffer, from: start, to: count) == naive)
                }
                let plain = bytes[start...].firstIndex { $0 >= 0x80 || $0 == 0x22 || $0 == 0x5C || $0 == 0x0A } ?? count
                #expect(ByteScan.plainLiteralRunEnd(in: buffer, from: start) == plain)
                let ascii = bytes[start...].firstIndex { $0 >= 0x80 } ?? count
                #expect(ByteScan.asciiRunEnd(in: buffer, from: start) == ascii)
            }
        }
    }

    // MARK: Go's IsPrint / IsGraphic tables

    /// (kind, lo, hi) rows of Fixtures/gomap/isprint.ranges: maximal rune ranges accepted
    /// by Go 1.19's unicode.IsPrint ("print") and unicode.IsGraphic ("graphic").
    static let printRanges: [(kind: String, range: ClosedRange<UInt32>)] = {
        GoMapFixtures.lines("isprint.ranges").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count == 3, let lo = UInt32(fields[1], radix: 16), let hi = UInt32(fields[2], radix: 16),
                lo <= hi
            else { return nil }
            return (String(fields[0]), lo...hi)
        }
    }()

    @Test(arguments: ["print", "graphic"])
    func isPrintMatchesGoForEveryRune(kind: String) {
        let ranges = Self.printRanges.filter { $0.kind == kind }.map(\.range)
        #expect(ranges.count > 600)
        let classify = kind == "print" ? GoIsPrint.isPrint : GoIsPrint.isGraphic
        var wrong: [UInt32] = []
        var next = 0
        for rune in UInt32(0)...0x10_FFFF {
            while next < ranges.count && ranges[next].upperBound < rune { next += 1 }
            let expected = next < ranges.count && ranges[next].contains(rune)
            if classify(rune) != expected { wrong.append(rune) }
        }
        #expect(wrong.isEmpty, "first mismatches: \(wrong.prefix(10).map { String($0, radix: 16) })")
        #expect(!classify(0x11_0000) && !classify(0xFFFF_FFFF))
    }

    static let printSpotChecks: [(rune: UInt32, isPrint: Bool)] = [
        (0x20, true), (0x7E, true), (0x7F, false), (0x1F, false), (0x85, false), (0xA0, false),
        (0xAD, false), (0xA1, true), (0xFF, true), (0x200B, false), (0x2028, false),
        (0xFEFF, false), (0xE000, false), (0x378, false), (0x301, true), (0x65E5, true),
        (0x1F600, true), (0x1FAE8, false), (0x1F979, false), (0x30000, true), (0x31350, false),
        (0xF0000, false), (0x10FFFF, false), (0xD800, false), (0xFFFD, true),
    ]

    @Test(arguments: printSpotChecks)
    func isPrintSpotChecks(rune: UInt32, isPrint: Bool) {
        #expect(GoIsPrint.isPrint(rune) == isPrint)
    }
}
