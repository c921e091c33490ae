import Testing

@testable import PodmetaCore

/// A reference reader for what ``ShellExportRenderer`` writes, following POSIX (XCU 2.2)
/// for the constructs a shell meets in it: `export NAME=WORD` commands separated by
/// newlines, WORD made of single-quoted strings (every byte literal up to the next `'`),
/// backslash-escaped characters and unquoted bytes. Anything else is a test failure.
struct POSIXSingleQuoteReader {
    struct Failure: Error, CustomStringConvertible {
        var offset: Int
        var reason: String
        var description: String { "\(reason) at byte \(offset)" }
    }

    /// The assignments in order, values as raw bytes.
    static func read(_ script: [UInt8]) throws -> [(name: String, value: [UInt8])] {
        var result: [(String, [UInt8])] = []
        var i = 0
        let export = Array("export ".utf8)
        while i < script.count {
            guard script[i...].starts(with: export) else { throw Failure(offset: i, reason: "expected 'export '") }
            i += export.count
            var name: [UInt8] = []
            while i < script.count, script[i] != UInt8(ascii: "=") {
                name.append(script[i])
                i += 1
            }
            guard i < script.count else { throw Failure(offset: i, reason: "missing '='") }
            i += 1
            var value: [UInt8] = []
            word: while i < script.count {
                let byte = script[i]
                switch byte {
                case UInt8(ascii: "'"):
                    i += 1
                    while i < script.count, script[i] != UInt8(ascii: "'") {
                        value.append(script[i])
                        i += 1
                    }
                    guard i < script.count else { throw Failure(offset: i, reason: "unterminated single quote") }
                    i += 1
                case UInt8(ascii: "\\"):
                    guard i + 1 < script.count else { throw Failure(offset: i, reason: "backslash at end") }
                    // A backslash-newline is a line continuation and disappears.
                    if script[i + 1] != UInt8(ascii: "\n") { value.append(script[i + 1]) }
                    i += 2
                case UInt8(ascii: "\n"):
                    i += 1
                    break word
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: ";"), UInt8(ascii: "&"), UInt8(ascii: "|"),
                    UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "$"),
                    UInt8(ascii: "`"), UInt8(ascii: "\""), UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "["),
                    UInt8(ascii: "#"), UInt8(ascii: "~"):
                    throw Failure(offset: i, reason: "unquoted shell metacharacter \(byte)")
                default:
                    value.append(byte)
                    i += 1
                }
            }
            result.append((String(decoding: name, as: UTF8.self), value))
        }
        return result
    }
}

@Suite struct ShellExportRendererTests {
    private func render(_ pairs: [(String, String)]) throws -> String {
        let variables = pairs.map { EnvironmentVariable(name: $0.0, value: $0.1, source: "test/\($0.0)") }
        return String(decoding: try ShellExportRenderer().render(variables), as: UTF8.self)
    }

    @Test(arguments: [
        ("web-0", "export V='web-0'\n"),
        ("", "export V=''\n"),
        ("it's", #"export V='it'\''s'"# + "\n"),
        ("'", #"export V=''\'''"# + "\n"),
        ("''", #"export V=''\'''\'''"# + "\n"),
        ("multi\nline\n", "export V='multi\nline\n'\n"),
        ("$HOME `id` $(id) ${x}", "export V='$HOME `id` $(id) ${x}'\n"),
        (#"back\slash\\ \n"#, #"export V='back\slash\\ \n'"# + "\n"),
        ("\"double\"", "export V='\"double\"'\n"),
        ("tab\tcr\r", "export V='tab\tcr\r'\n"),
        ("é 日本 😀", "export V='é 日本 😀'\n"),
        ("!history", "export V='!history'\n"),
        ("-n", "export V='-n'\n"),
    ])
    func valuesAreAlwaysSingleQuoted(value: String, expected: String) throws {
        #expect(try render([("V", value)]) == expected)
    }

    @Test func contractSnapshotScript() throws {
        let variables = try EnvironmentNaming().variables(for: RenderFixtures.contractSnapshot()).variables
        let text = String(decoding: try ShellExportRenderer().render(variables), as: UTF8.self)
        #expect(
            text == """
                export POD_NAME='web-0'
                export POD_NAMESPACE='shop'
                export POD_UID='0e2f4a10-5b6c-4d7e-8f90-a1b2c3d4e5f6'
                export POD_NODE_NAME='n1'
                export POD_SERVICE_ACCOUNT='web'
                export POD_IP='10.1.2.3'
                export POD_IPS='10.1.2.3,fd00::3'
                export POD_HOST_IP='192.168.1.5'
                export POD_HOST_IPS='192.168.1.5'
                export POD_LABEL_APP='web'
                export POD_LABEL_APP_KUBERNETES_IO_NAME='shop'
                export POD_ANNOTATION_EXAMPLE_COM_NOTE='multi
                line'
                export POD_CPU_LIMIT_MILLICORES='500'
                export POD_CPU_LIMIT_CORES='0.5'
                export POD_MEMORY_LIMIT_BYTES='134217728'
                export POD_MEMORY_LIMIT_MIB='128'

                """)
    }

    @Test func noVariablesIsAnEmptyScript() throws {
        #expect(try ShellExportRenderer().render([]).isEmpty)
    }

    @Test func neverUsesDollarQuoting() throws {
        let all = String((1...0x7F).map { Character(Unicode.Scalar(UInt8($0))) })
        let text = try render([("V", all)])
        #expect(!text.contains("$'"), "the only $ is inside single quotes, followed by %")
        #expect(text.hasPrefix("export V='"))
    }

    @Test func invalidNamesAndNULAreRefused() {
        let bad = EnvironmentVariable(name: "1X", value: "v", source: "labels/x")
        #expect(throws: EnvironmentRenderError(format: "sh", name: "1X", source: "labels/x", kind: .invalidName)) {
            try ShellExportRenderer().render([bad])
        }
        let nul = EnvironmentVariable(name: "X", value: "a\u{0}b", source: "annotations/x")
        #expect(throws: EnvironmentRenderError(format: "sh", name: "X", source: "annotations/x", kind: .containsNUL)) {
            try ShellExportRenderer().render([nul])
        }
    }

    @Test(arguments: [
        ("", "''"), ("a b", "'a b'"), ("it's", #"'it'\''s'"#),
    ])
    func quotedWord(value: String, expected: String) {
        #expect(ShellExportRenderer.quoted(value) == expected)
    }

    /// Random byte strings as label and annotation values: the script read back by the
    /// reference POSIX reader gives every value byte for byte; values with NUL are the
    /// naming's issues, not the script's.
    @Test(arguments: [UInt64(1), 2, 3, 42, 0xC0FFEE])
    func randomValuesRoundTripThroughPOSIXQuoting(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for _ in 0..<50 {
            var snapshot = PodSnapshot()
            for index in 0..<Int.random(in: 0...12, using: &random) {
                snapshot.labels["k\(index).example.com/v"] = random.string(maxLength: 40)
                snapshot.annotations["a\(index)"] = random.string(maxLength: 200)
            }
            snapshot.pod.name = random.string(maxLength: 20)
            let naming = try EnvironmentNaming().variables(for: snapshot)
            let script = try ShellExportRenderer().render(naming.variables)
            let read = try POSIXSingleQuoteReader.read(script)
            #expect(read.map(\.name) == naming.variables.map(\.name))
            for (variable, back) in zip(naming.variables, read) {
                #expect(back.value == Array(variable.value.utf8), "seed \(seed): \(variable.name)")
            }
            let expectedNUL =
                (Array(snapshot.labels.values) + Array(snapshot.annotations.values) + [snapshot.pod.name!])
                .filter { $0.utf8.contains(0) }.count
            #expect(naming.issues.count == expectedNUL)
            #expect(
                naming.variables.count + naming.issues.count == 1 + snapshot.labels.count + snapshot.annotations.count)
        }
    }
}
