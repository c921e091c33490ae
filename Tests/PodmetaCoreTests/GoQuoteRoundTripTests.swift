import Testing

@testable import PodmetaCore

/// GoStringLiteral.quote against Go 1.19's strconv.Quote (its test table and the
/// FormatMap files of Fixtures/gomap), and quote/unquote round trips.
@Suite struct GoQuoteRoundTripTests {
    // MARK: Ported from Go's quotetests (the Quote column)

    static let goQuoteTests: [(value: [UInt8], literal: String)] = [
        ([0x07, 0x08, 0x0C, 0x0D, 0x0A, 0x09, 0x0B], #""\a\b\f\r\n\t\v""#),
        ([0x5C], #""\\""#),
        (Array("abc".utf8) + [0xFF] + Array("def".utf8), #""abc\xffdef""#),
        (Array("\u{263A}".utf8), #""☺""#),
        (Array("\u{10FFFF}".utf8), #""\U0010ffff""#),
        ([0x04], #""\x04""#),
        (Array("!\u{00A0}!\u{2000}!\u{3000}!".utf8), #""!\u00a0!\u2000!\u3000!""#),
        ([0x7F], #""\x7f""#),
    ]

    @Test(arguments: goQuoteTests)
    func goQuoteTable(value: [UInt8], literal: String) {
        #expect(GoStringLiteral.quote(value) == literal)
    }

    /// Go's quoterunetests (the Quote column), as one-rune strings in double quotes; the
    /// rows for invalid runes (0xdead, 0x110000) have no string form.
    static let goQuoteRuneTests: [(rune: Unicode.Scalar, literal: String)] = [
        ("a", #""a""#), ("\u{07}", #""\a""#), ("\\", #""\\""#), ("\u{FF}", #""ÿ""#),
        ("\u{263A}", #""☺""#), ("\u{FFFD}", #""�""#), ("\u{10FFFF}", #""\U0010ffff""#),
        ("\u{04}", #""\x04""#), ("\u{00A0}", #""\u00a0""#), ("\u{2000}", #""\u2000""#),
        ("\u{3000}", #""\u3000""#),
    ]

    @Test(arguments: goQuoteRuneTests)
    func goQuoteRuneTable(rune: Unicode.Scalar, literal: String) {
        #expect(GoStringLiteral.quote(Array(String(Character(rune)).utf8)) == literal)
    }

    static let kubeletCases: [(value: [UInt8], literal: String)] = [
        ([], #""""#),
        ([0x00], #""\x00""#),
        (Array("\"quoted\" \\ path".utf8), #""\"quoted\" \\ path""#),
        (Array("a\u{2028}b\u{00AD}c\u{200B}d\u{FEFF}".utf8), #""a\u2028b\u00adc\u200bd\ufeff""#),
        (Array("\u{85}\u{9F}".utf8), #""\u0085\u009f""#),
        (Array("\u{E000}\u{F0000}\u{378}".utf8), #""\ue000\U000f0000\u0378""#),
        (Array("é日😀\u{301}".utf8), "\"é日😀\u{301}\""),
        (Array("\u{1FAE8}".utf8), #""\U0001fae8""#),  // unassigned in Go 1.19's Unicode 13
        ([0xE2, 0x82, 0x41], #""\xe2\x82A""#),  // each byte of a bad sequence on its own
        ([0xED, 0xA0, 0x80], #""\xed\xa0\x80""#),
        ([0xC0, 0x80], #""\xc0\x80""#),
        ([0xF4, 0x90, 0x80, 0x80], #""\xf4\x90\x80\x80""#),
        (Array("k=v".utf8), #""k=v""#),
    ]

    @Test(arguments: kubeletCases)
    func kubeletRelevantQuoting(value: [UInt8], literal: String) throws {
        #expect(GoStringLiteral.quote(value) == literal)
        #expect(try GoStringLiteral.unquote(Array(literal.utf8)) == value)
    }

    // MARK: Byte-for-byte against Go's FormatMap output

    /// Re-renders every fixture map from its hex entries with our quote() and the kubelet's
    /// FormatMap layout: the result must be the file Go wrote, byte for byte.
    @Test(arguments: GoMapFixtures.mapNames)
    func quoteReproducesGoFormatMap(name: String) throws {
        let file = try #require(GoMapFixtures.bytes(name + ".map"))
        let expected = GoMapFixtures.expected(name)
        #expect(expected.declaredCount == expected.entries.count)
        let rendered = GoMapFixtures.formatMap(expected.entries, quote: GoStringLiteral.quote)
        #expect(rendered.count == file.count)
        if let first = zip(rendered, file).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            Issue.record(
                "first difference at byte \(first): ours \(rendered[first...].prefix(40)), Go \(file[first...].prefix(40))"
            )
        }
        #expect(rendered == file)
    }

    // MARK: Properties

    @Test func randomBytesRoundTrip() throws {
        var random = SplitMix64(seed: 0x5EED_0001)
        var failures: [[UInt8]] = []
        for _ in 0..<20_000 {
            let value = random.trickyBytes(maxLength: 48)
            let literal = Array(GoStringLiteral.quote(value).utf8)
            let decoded = try? GoStringLiteral.unquote(literal)
            if decoded != value { failures.append(value) }
        }
        #expect(failures.isEmpty, "first failures: \(failures.prefix(5))")
    }

    @Test func quoteNeverLeavesAnUnescapedQuoteOrNewline() {
        var random = SplitMix64(seed: 0x5EED_0002)
        for _ in 0..<2_000 {
            let literal = Array(GoStringLiteral.quote(random.trickyBytes(maxLength: 32)).utf8)
            #expect(literal.first == UInt8(ascii: "\"") && literal.last == UInt8(ascii: "\""))
            #expect(!literal.contains(UInt8(ascii: "\n")))
            // Every '"' inside is escaped: it is preceded by an odd run of backslashes.
            var backslashes = 0
            for byte in literal.dropFirst().dropLast() {
                if byte == UInt8(ascii: "\"") { #expect(backslashes % 2 == 1) }
                backslashes = byte == UInt8(ascii: "\\") ? backslashes + 1 : 0
            }
        }
    }

    @Test func garbageNeverCrashesUnquote() {
        var random = SplitMix64(seed: 0x5EED_0003)
        for round in 0..<20_000 {
            var literal = random.trickyBytes(maxLength: 24)
            if round % 4 != 0 { literal.insert(UInt8(ascii: "\""), at: 0) }
            if round % 3 == 0 { literal.append(UInt8(ascii: "\"")) }
            do {
                let value = try GoStringLiteral.unquote(literal)
                // Whatever was accepted re-encodes to something that decodes to the same bytes.
                #expect(try GoStringLiteral.unquote(Array(GoStringLiteral.quote(value).utf8)) == value)
            } catch {
                #expect((0...literal.count).contains(error.offset), "offset \(error.offset) for \(literal)")
            }
        }
    }
}
