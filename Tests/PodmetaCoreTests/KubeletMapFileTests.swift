import Testing

@testable import PodmetaCore

/// KubeletMapFile.parse against files written by Go's FormatMap (Fixtures/gomap) and
/// hand-made broken ones.
@Suite struct KubeletMapFileTests {
    private static func parse(_ text: String, strict: Bool = false, path: String = "/etc/podinfo/annotations")
        throws(MapFileError) -> KubeletMapFile
    {
        try KubeletMapFile.parse(Array(text.utf8), path: path, strict: strict)
    }

    private static func strictError(_ bytes: [UInt8], path: String = "/etc/podinfo/annotations") -> MapFileError? {
        do {
            _ = try KubeletMapFile.parse(bytes, path: path, strict: true)
            return nil
        } catch {
            return error
        }
    }

    /// Compares Strings by their UTF-8 bytes: `==` on String is canonical equivalence and
    /// would let "é" and "e\u{301}" pass for each other.
    private static func sameBytes(_ a: String?, _ b: String?) -> Bool {
        a.map { Array($0.utf8) } == b.map { Array($0.utf8) }
    }

    // MARK: Go-written files

    @Test func manifestListsEveryFixture() {
        #expect(GoMapFixtures.mapNames.count >= 15)
        for name in GoMapFixtures.mapNames {
            #expect(GoMapFixtures.bytes(name + ".map") != nil, "\(name).map")
            #expect(GoMapFixtures.expected(name).declaredCount != nil, "\(name).expected")
        }
        for required in ["empty", "labels", "annotations-kubelet", "invalid-utf8", "large"] {
            #expect(GoMapFixtures.mapNames.contains(required))
        }
    }

    @Test(arguments: GoMapFixtures.mapNames)
    func decodesGoFormatMap(name: String) throws {
        let file = try #require(GoMapFixtures.bytes(name + ".map"))
        let expected = GoMapFixtures.expected(name)
        #expect(expected.declaredCount == expected.entries.count)
        let parsed = try KubeletMapFile.parse(file, path: name, strict: true)

        #expect(parsed.entries.count == expected.entries.count)
        var invalidUTF8Keys: [String] = []
        for entry in expected.entries {
            let key = String(decoding: entry.key, as: UTF8.self)
            let value = String(decoding: entry.value, as: UTF8.self)  // U+FFFD for bad bytes
            #expect(Self.sameBytes(parsed.entries[key], value), "\(name): \(key)")
            if String(validating: entry.value, as: UTF8.self) == nil { invalidUTF8Keys.append(key) }
        }
        let warned = parsed.warnings.compactMap { issue -> String? in
            if case .valueNotUTF8(let key) = issue.kind { return key }
            return nil
        }
        #expect(warned == invalidUTF8Keys, "\(name)")
        #expect(parsed.warnings.count == warned.count, "\(parsed.warnings)")
    }

    /// The raw bytes of every value, invalid UTF-8 included, straight from unquote.
    @Test(arguments: GoMapFixtures.mapNames)
    func valuesDecodeToGoBytes(name: String) throws {
        let file = try #require(GoMapFixtures.bytes(name + ".map"))
        let expected = GoMapFixtures.expected(name).entries
        let lines = file.isEmpty ? [] : file.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        #expect(lines.count == expected.count)
        for (line, entry) in zip(lines, expected) {
            let equals = try #require(line.firstIndex(of: UInt8(ascii: "=")))
            #expect(Array(line[..<equals]) == entry.key)
            #expect(try GoStringLiteral.unquote(line[(equals + 1)...]) == entry.value)
        }
    }

    @Test func invalidUTF8WarningPointsAtTheEscape() throws {
        let file = try #require(GoMapFixtures.bytes("invalid-utf8.map"))
        let parsed = try KubeletMapFile.parse(file, path: "invalid-utf8.map", strict: false)
        let mixed = try #require(parsed.warnings.first { $0.kind == .valueNotUTF8(key: "example.com/mixed") })
        // example.com/mixed="ok \xff é …": the warning names the \xff escape.
        #expect(Array(file[mixed.byteOffset..<(mixed.byteOffset + 4)]) == Array(#"\xff"#.utf8))
        #expect(Self.sameBytes(parsed.entries["example.com/mixed"], "ok \u{FFFD} é \u{FFFD} € \u{FFFD} end"))
    }

    @Test func kubeletLocalAnnotationsAreEntries() throws {
        let file = try #require(GoMapFixtures.bytes("annotations-kubelet.map"))
        let parsed = try KubeletMapFile.parse(file, path: "annotations", strict: true)
        #expect(parsed.entries["kubernetes.io/config.seen"] == "2026-11-22T01:02:03.123456789Z")
        #expect(parsed.entries["kubernetes.io/config.source"] == "api")
        #expect(parsed.entries["example.com/note"] == "multi\nline\nnote")
    }

    // MARK: Layout

    @Test func emptyAndBlankFiles() throws {
        for text in ["", "\n", "\n\n"] {
            let parsed = try Self.parse(text, strict: true)
            #expect(parsed.entries.isEmpty && parsed.warnings.isEmpty)
        }
    }

    @Test func trailingNewlineAndBlankLinesAreTolerated() throws {
        let parsed = try Self.parse("a=\"1\"\n\nb=\"2\"\n", strict: true)
        #expect(parsed.entries == ["a": "1", "b": "2"])
        #expect(parsed.warnings.isEmpty)
    }

    @Test func splitsAtTheFirstEquals() throws {
        let parsed = try Self.parse(#"k="a=b=c""# + "\n" + #"e="""#, strict: true)
        #expect(parsed.entries == ["k": "a=b=c", "e": ""])
        // A key cannot hold "=": the rest is not a literal.
        #expect(Self.strictError(Array(#"a=b="c""#.utf8))?.kind == .invalidValue(key: "a", .notDoubleQuoted))
    }

    @Test func keysAreRawBytes() throws {
        let parsed = try Self.parse(" spaced key =\"v\"\nключ=\"значение\"", strict: true)
        #expect(parsed.entries == [" spaced key ": "v", "ключ": "значение"])
    }

    // MARK: Malformed lines

    /// Line 3 starts at byte 39; its backslash is at 39 + 18 = 57.
    static let brokenFile =
        #"app="web""# + "\n" + #"example.com/a="0123456789ab""# + "\n"
        + #"example.com/x="abc\e""# + "\n" + #"z="ok""#

    @Test func strictModeThrowsTheFirstMalformedLine() {
        let error = Self.strictError(Array(Self.brokenFile.utf8))
        #expect(error?.path == "/etc/podinfo/annotations")
        #expect(error?.line == 3)
        #expect(error?.byteOffset == 57)
        #expect(error?.kind == .invalidValue(key: "example.com/x", .invalidEscape(UInt8(ascii: "e"))))
        #expect(
            error?.description
                == #"/etc/podinfo/annotations:3: invalid escape "\e" in value of "example.com/x" at byte 57"#)
        #expect(error?.reason == #"invalid escape "\e" in value of "example.com/x""#)
        #expect(error?.issue.message == #"line 3: invalid escape "\e" in value of "example.com/x" at byte 57"#)
    }

    @Test func lenientModeSkipsTheLineWithAWarning() throws {
        let parsed = try Self.parse(Self.brokenFile, strict: false)
        #expect(parsed.entries == ["app": "web", "example.com/a": "0123456789ab", "z": "ok"])
        #expect(
            parsed.warnings == [
                MapFileIssue(
                    path: "/etc/podinfo/annotations", line: 3, byteOffset: 57,
                    kind: .invalidValue(key: "example.com/x", .invalidEscape(UInt8(ascii: "e"))))
            ])
    }

    static let malformed: [(text: [UInt8], line: Int, offset: Int, kind: MapFileIssue.Kind, description: String)] = [
        (
            Array("a=\"1\"\nno equals here\nb=\"2\"".utf8), 2, 6, .missingEquals,
            #"f:2: line has no "=" between key and value at byte 6"#
        ),
        (
            Array("a=\"1\"\n=\"orphan\"".utf8), 2, 6, .emptyKey,
            #"f:2: empty key before "=" at byte 6"#
        ),
        (
            Array("a=\"1\"\nk".utf8) + [0xFF] + Array("=\"v\"".utf8), 2, 7, .keyNotUTF8(0xFF),
            "f:2: key is not valid UTF-8 (byte 0xFF) at byte 7"
        ),
        (
            Array("k=\"unterminated".utf8), 1, 15, .invalidValue(key: "k", .missingClosingQuote),
            #"f:1: missing closing '"' in value of "k" at byte 15"#
        ),
        (
            Array("k=unquoted".utf8), 1, 2, .invalidValue(key: "k", .notDoubleQuoted),
            #"f:1: not a Go double-quoted string literal (it must start with '"') in value of "k" at byte 2"#
        ),
        (
            Array("a=\"1\"\r\nb=\"2\"".utf8), 1, 5, .invalidValue(key: "a", .trailingBytes),
            #"f:1: unexpected bytes after the closing '"' in value of "a" at byte 5"#
        ),
        (
            Array("k=\"say \"hi\"\"".utf8), 1, 7, .invalidValue(key: "k", .unescapedQuote),
            #"f:1: unescaped '"' ends the string early in value of "k" at byte 7"#
        ),
        (
            Array("k=\"\\ud800\"".utf8), 1, 3, .invalidValue(key: "k", .invalidCodePoint(0xD800)),
            #"f:1: escape names a surrogate, 0xD800, which is not a Unicode scalar value in value of "k" at byte 3"#
        ),
        (
            Array("tab\tkey=\"\\0\"".utf8), 1, 9, .invalidValue(key: "tab\tkey", .invalidOctalEscape),
            #"f:1: invalid octal escape: it needs 3 octal digits (a lone \0 is not allowed) in value of "tab\tkey" at byte 9"#
        ),
    ]

    @Test(arguments: malformed)
    func malformedLine(text: [UInt8], line: Int, offset: Int, kind: MapFileIssue.Kind, description: String) throws {
        let issue = MapFileIssue(path: "f", line: line, byteOffset: offset, kind: kind)
        #expect(Self.strictError(text, path: "f") == MapFileError(issue))
        #expect(Self.strictError(text, path: "f")?.description == description)
        let lenient = try KubeletMapFile.parse(text, path: "f", strict: false)
        #expect(lenient.warnings.first == issue)
        #expect(issue.kind.isMalformedLine)
    }

    // MARK: Accepted with a warning, in both modes

    @Test(arguments: [false, true])
    func duplicateKeyLastWins(strict: Bool) throws {
        let parsed = try Self.parse("k=\"1\"\nother=\"x\"\nk=\"2\"\nk=\"3\"", strict: strict, path: "labels")
        #expect(parsed.entries == ["k": "3", "other": "x"])
        #expect(
            parsed.warnings == [
                MapFileIssue(path: "labels", line: 3, byteOffset: 16, kind: .duplicateKey("k", previousLine: 1)),
                MapFileIssue(path: "labels", line: 4, byteOffset: 22, kind: .duplicateKey("k", previousLine: 3)),
            ])
        #expect(
            parsed.warnings[0].description
                == #"labels:3: duplicate key "k" (also on line 1; the last value wins) at byte 16"#)
    }

    /// Raw invalid UTF-8 inside the quotes: Go's Unquote reads each bad byte as U+FFFD
    /// without an error (checked against go1.19's strconv), so the value is the same; but
    /// Quote never writes it, so it is said, and strict mode refuses the file.
    @Test func rawInvalidUTF8IsReplacedLikeGoWithAWarning() throws {
        let bytes = Array(#"k="caf"#.utf8) + [0xE9] + Array(#" é""#.utf8)
        let parsed = try KubeletMapFile.parse(bytes, path: "annotations", strict: false)
        #expect(Self.sameBytes(parsed.entries["k"], "caf\u{FFFD} é"))
        #expect(
            parsed.warnings == [MapFileIssue(path: "annotations", line: 1, byteOffset: 6, kind: .rawNotUTF8(key: "k"))])
        #expect(
            parsed.warnings.first?.description
                == #"annotations:1: value of "k" holds raw bytes that are not valid UTF-8 (replaced by U+FFFD, as Go reads them; the kubelet would have escaped them) at byte 6"#
        )
        #expect(throws: MapFileError.self) { try KubeletMapFile.parse(bytes, path: "annotations", strict: true) }
    }

    @Test(arguments: [false, true])
    func invalidUTF8ValueBecomesReplacementCharacter(strict: Bool) throws {
        let parsed = try Self.parse(#"a="ok""# + "\n" + #"k="caf\xe9 \303\251""#, strict: strict)
        #expect(Self.sameBytes(parsed.entries["k"], "caf\u{FFFD} é"))
        #expect(
            parsed.warnings == [
                MapFileIssue(path: "/etc/podinfo/annotations", line: 2, byteOffset: 13, kind: .valueNotUTF8(key: "k"))
            ])
        #expect(
            parsed.warnings.first?.description
                == #"/etc/podinfo/annotations:2: value of "k" is not valid UTF-8 (replaced by U+FFFD) at byte 13"#)
        #expect(parsed.warnings.first?.kind.isMalformedLine == false)
    }

    /// Swift Strings compare by canonical equivalence: keys differing only in normalization
    /// share an entry. Kubernetes keys are ASCII, so only hand-made files can do this.
    @Test func canonicallyEquivalentKeysCollide() throws {
        let parsed = try Self.parse("caf\u{E9}=\"1\"\ncafe\u{301}=\"2\"", strict: true)
        #expect(parsed.entries.count == 1)
        #expect(parsed.warnings.map(\.kind) == [.duplicateKey("caf\u{E9}", previousLine: 1)])
    }

    // MARK: Robustness

    @Test func garbageNeverCrashesTheParser() throws {
        var random = SplitMix64(seed: 0x5EED_0004)
        for round in 0..<5_000 {
            var bytes: [UInt8] = []
            for _ in 0..<random.below(6) {
                if random.below(4) != 0 { bytes.append(contentsOf: random.trickyBytes(maxLength: 6)) }
                if random.below(3) != 0 { bytes.append(UInt8(ascii: "=")) }
                if random.below(2) == 0 { bytes.append(UInt8(ascii: "\"")) }
                bytes.append(contentsOf: random.trickyBytes(maxLength: 12))
                if random.below(2) == 0 { bytes.append(UInt8(ascii: "\"")) }
                bytes.append(UInt8(ascii: "\n"))
            }
            if round % 2 == 0 { bytes = random.trickyBytes(maxLength: 64) }
            let lineCount = bytes.count(where: { $0 == UInt8(ascii: "\n") }) + 1
            let lenient = try KubeletMapFile.parse(bytes, path: "g", strict: false)
            for issue in lenient.warnings {
                #expect((0...bytes.count).contains(issue.byteOffset), "\(issue) in \(bytes)")
                #expect((1...lineCount).contains(issue.line))
            }
            if let error = Self.strictError(bytes, path: "g") {
                #expect(lenient.warnings.first { $0.kind.failsStrictParsing } == error.issue)
            } else {
                #expect(!lenient.warnings.contains { $0.kind.failsStrictParsing })
            }
        }
    }

    @Test func parsesA256KiBAnnotationsFile() throws {
        var random = SplitMix64(seed: 0x5EED_0005)
        var entries: [GoMapFixtures.Entry] = []
        var size = 0
        var index = 0
        while size < 256 * 1024 {
            let value = random.trickyBytes(maxLength: 200)
            entries.append(GoMapFixtures.Entry(key: Array("example.com/k\(index)".utf8), value: value))
            size += value.count + 20
            index += 1
        }
        let file = GoMapFixtures.formatMap(entries, quote: GoStringLiteral.quote)
        let parsed = try KubeletMapFile.parse(file, path: "annotations", strict: true)
        #expect(parsed.entries.count == entries.count)
        for entry in entries.prefix(500) {
            let key = String(decoding: entry.key, as: UTF8.self)
            #expect(Self.sameBytes(parsed.entries[key], String(decoding: entry.value, as: UTF8.self)))
        }
    }
}
