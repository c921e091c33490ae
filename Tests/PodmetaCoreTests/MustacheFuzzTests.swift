import Testing

@testable import PodmetaCore

/// Random tag soup from a fixed seed: parsing and rendering must never crash, and what they
/// report must hold together.
@Suite struct MustacheFuzzTests {
    static let context: JSONValue = .object([
        "a": .bool(true),
        "b": .string("<b>"),
        "s": .string("p"),
        "list": .array([.int(1), .object(["a": .string("x")]), .string(""), .array([])]),
        "obj": .object(["x.y": .double(0.5), "a": .null, "b": .object([:])]),
    ])

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func tagSoupNeverCrashes(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var parsed = 0
        for _ in 0..<2_500 {
            let text = Bool.random(using: &random) ? random.tagSoup(maxFragments: 24) : random.template(maxItems: 12)
            let partialText = random.template(maxItems: 6)
            let template: MustacheTemplate
            do {
                template = try MustacheTemplate(parsing: text, name: "soup")
            } catch {
                expectLocated(error, in: text, name: "soup")
                continue
            }
            parsed += 1
            // "p" may include itself: recursion must end in an error, not a crash.
            var partials: [String: MustacheTemplate] = ["q": try MustacheTemplate(parsing: "[{{>p}}]", name: "q")]
            if let p = try? MustacheTemplate(parsing: partialText, name: "p") { partials["p"] = p }
            for strict in [false, true] {
                for escape in [MustacheEscaping.html, .none] {
                    do {
                        _ = try template.render(Self.context, partials: partials, escape: escape, strict: strict)
                    } catch {
                        let source = error.template == "soup" ? text : error.template == "p" ? partialText : "[{{>p}}]"
                        expectLocated(error, in: source, name: error.template)
                        if !strict {
                            #expect(error.reason == .renderTooDeep(limit: MustacheRenderer.maximumDepth), "\(error)")
                        }
                    }
                }
            }
        }
        // The generator must exercise rendering, not only parse errors.
        #expect(parsed > 1_000)
    }

    /// Every error names a real line and column, and its description leads with them.
    private func expectLocated(
        _ error: TemplateError, in source: String, name: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        // Split on the byte: "\r\n" is one Character and would hide a line break.
        let lines = source.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        #expect(error.line >= 1 && error.line <= lines.count, "\(error)", sourceLocation: sourceLocation)
        if error.line >= 1, error.line <= lines.count {
            let line = String(decoding: lines[error.line - 1], as: UTF8.self)
            #expect(
                error.column >= 1 && error.column <= line.unicodeScalars.count,
                "\(error) in \(source.debugDescription)", sourceLocation: sourceLocation)
        }
        #expect(error.description.hasPrefix("\(name):\(error.line):\(error.column): "), sourceLocation: sourceLocation)
    }

    @Test(arguments: [UInt64(7), 8])
    func textWithoutTagsRendersUnchanged(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for _ in 0..<500 {
            let text = random.tagSoup(maxFragments: 30).replacingAll("{", with: "(")
            let template = try MustacheTemplate(parsing: text, name: "plain")
            #expect(try template.render(.null) == text)
        }
    }

    @Test(arguments: [UInt64(11), 12])
    func unescapedValuesArriveVerbatim(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let template = try MustacheTemplate(parsing: "<{{{v}}}|{{&v}}|{{v}}>", name: "verbatim")
        for _ in 0..<500 {
            let value = random.tagSoup(maxFragments: 10)
            let expected = "<\(value)|\(value)|\(value)>"
            #expect(try template.render(.object(["v": .string(value)]), escape: .none) == expected)
        }
    }
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}
