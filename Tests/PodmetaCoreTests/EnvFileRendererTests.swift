import Testing

@testable import PodmetaCore

/// Reference readers of the two env-file dialects, ported from their sources for one line
/// `NAME=value` (no line breaks: the renderer refuses those).
enum EnvFileReaders {
    /// docker/cli `pkg/kvfile`: everything after the first `=`, verbatim; a trailing CR of the
    /// line is dropped by Go's line scanner.
    static func docker(_ line: [UInt8]) -> (String, [UInt8])? {
        var line = line
        if line.last == 0x0D { line.removeLast() }
        guard let eq = line.firstIndex(of: UInt8(ascii: "=")) else { return nil }
        return (String(decoding: line[..<eq], as: UTF8.self), Array(line[(eq + 1)...]))
    }

    /// systemd `parse_env_file_internal` (src/basic/env-file.c), states PRE_VALUE onwards,
    /// for the text after `=` up to the end of the line.
    static func systemd(_ text: [UInt8]) -> [UInt8] {
        enum State { case preValue, value, valueEscape, singleQuote, doubleQuote, doubleQuoteEscape }
        let whitespace: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
        let needEscape: Set<UInt8> = Array("\"\\`$".utf8).reduce(into: []) { $0.insert($1) }
        var state = State.preValue
        var value: [UInt8] = []
        var lastWhitespace: Int?
        for c in text {
            switch state {
            case .preValue:
                if c == UInt8(ascii: "'") {
                    state = .singleQuote
                } else if c == UInt8(ascii: "\"") {
                    state = .doubleQuote
                } else if c == UInt8(ascii: "\\") {
                    state = .valueEscape
                } else if !whitespace.contains(c) {
                    state = .value
                    value.append(c)
                }
            case .value:
                if c == UInt8(ascii: "\\") {
                    state = .valueEscape
                    lastWhitespace = nil
                } else {
                    if !whitespace.contains(c) {
                        lastWhitespace = nil
                    } else if lastWhitespace == nil {
                        lastWhitespace = value.count
                    }
                    value.append(c)
                }
            case .valueEscape:
                state = .value
                value.append(c)
            case .singleQuote:
                if c == UInt8(ascii: "'") { state = .preValue } else { value.append(c) }
            case .doubleQuote:
                if c == UInt8(ascii: "\"") {
                    state = .preValue
                } else if c == UInt8(ascii: "\\") {
                    state = .doubleQuoteEscape
                } else {
                    value.append(c)
                }
            case .doubleQuoteEscape:
                state = .doubleQuote
                if !needEscape.contains(c) { value.append(UInt8(ascii: "\\")) }
                value.append(c)
            }
        }
        if state == .value, let lastWhitespace { value.removeSubrange(lastWhitespace...) }
        return value
    }
}

@Suite struct EnvFileRendererTests {
    @Test func contractSnapshotMinusTheMultiLineAnnotation() throws {
        var snapshot = RenderFixtures.contractSnapshot()
        snapshot.annotations["example.com/note"] = #"say "hi" & 'bye' $HOME \n"#
        let variables = try EnvironmentNaming().variables(for: snapshot).variables
        let text = String(decoding: try EnvFileRenderer().render(variables), as: UTF8.self)
        #expect(
            text == #"""
                POD_NAME=web-0
                POD_NAMESPACE=shop
                POD_UID=0e2f4a10-5b6c-4d7e-8f90-a1b2c3d4e5f6
                POD_NODE_NAME=n1
                POD_SERVICE_ACCOUNT=web
                POD_IP=10.1.2.3
                POD_IPS=10.1.2.3,fd00::3
                POD_HOST_IP=192.168.1.5
                POD_HOST_IPS=192.168.1.5
                POD_LABEL_APP=web
                POD_LABEL_APP_KUBERNETES_IO_NAME=shop
                POD_ANNOTATION_EXAMPLE_COM_NOTE=say "hi" & 'bye' $HOME \n
                POD_CPU_LIMIT_MILLICORES=500
                POD_CPU_LIMIT_CORES=0.5
                POD_MEMORY_LIMIT_BYTES=134217728
                POD_MEMORY_LIMIT_MIB=128

                """#)
    }

    @Test func multiLineValueIsRefusedNamingTheVariable() throws {
        let variables = try EnvironmentNaming().variables(for: RenderFixtures.contractSnapshot()).variables
        let expected = EnvironmentRenderError(
            format: "env-file", name: "POD_ANNOTATION_EXAMPLE_COM_NOTE", source: "annotations/example.com/note",
            kind: .lineFeed)
        #expect(throws: expected) { try EnvFileRenderer().render(variables) }
        #expect(
            expected.description
                == "cannot write POD_ANNOTATION_EXAMPLE_COM_NOTE (annotations/example.com/note) in env-file format: its value spans several lines, which this one-line-per-variable format cannot hold (use --format sh or json)"
        )
    }

    @Test(arguments: [
        ("a\nb", EnvironmentRenderError.Kind.lineFeed), ("trailing\n", .lineFeed), ("cr\r", .carriageReturn),
        ("a\r\nb", .carriageReturn), ("nul\u{0}", .containsNUL),
    ])
    func refusedValues(value: String, kind: EnvironmentRenderError.Kind) {
        let variable = EnvironmentVariable(name: "V", value: value, source: "annotations/v")
        #expect(EnvFileRenderer.problem(with: variable)?.kind == kind)
        #expect(throws: EnvironmentRenderError.self) { try EnvFileRenderer().render([variable]) }
    }

    @Test func invalidNameIsRefused() {
        let variable = EnvironmentVariable(name: "A B", value: "v", source: "x")
        #expect(EnvFileRenderer.problem(with: variable)?.kind == .invalidName)
    }

    @Test(arguments: [
        ("plain", false), ("", false), ("a b", false), ("it's", false), (#"x="y""#, false), ("#hash", false),
        (" lead", true), ("trail\t", true), ("'q'", true), ("\"q\"", true), (#"back\slash"#, true), ("\t", true),
    ])
    func systemdDifferences(value: String, differs: Bool) {
        #expect(EnvFileRenderer.systemdReadsDifferently(value) == differs)
        #expect((EnvFileReaders.systemd(Array(value.utf8)) != Array(value.utf8)) == differs)
    }

    /// Random values without line breaks: Docker reads every one back exactly, systemd exactly
    /// those `systemdReadsDifferently` does not flag.
    @Test(arguments: [UInt64(5), 6, 7])
    func randomValuesReadBackAsDocumented(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for index in 0..<500 {
            let value = String(
                decoding: random.bytes(maxLength: 30).filter { $0 != 0x0A && $0 != 0x0D && $0 != 0 }, as: UTF8.self)
            let variable = EnvironmentVariable(name: "V\(index)", value: value, source: "x")
            let line = try EnvFileRenderer().render([variable])
            #expect(line.last == 0x0A)
            let parsed = EnvFileReaders.docker(Array(line.dropLast()))
            #expect(parsed?.0 == "V\(index)")
            #expect(parsed?.1 == Array(value.utf8))
            let systemd = EnvFileReaders.systemd(Array(value.utf8))
            #expect(
                (systemd != Array(value.utf8)) == EnvFileRenderer.systemdReadsDifferently(value), "\(Array(value.utf8))"
            )
        }
    }
}
