import Testing

@testable import PodmetaCore

/// Megabyte templates. No timing assertions: the parser and renderer are linear by design
/// (see MustacheParser), and these shapes are the ones a quadratic step would choke on, so
/// a regression shows up as a test that runs for minutes instead of well under a second.
@Suite struct MustacheScaleTests {
    static let mebibyte = 1 << 20

    static let context: JSONValue = .object([
        "labels": .object(["app.kubernetes.io/name": .string("shop"), "app": .string("web")]),
        "list": .array([.int(1), .int(2)]),
    ])

    /// Repeats `unit` until the text reaches 1 MiB.
    private func mebibyteOf(_ unit: String) -> (text: String, copies: Int) {
        let copies = Self.mebibyte / unit.utf8.count + 1
        return (String(repeating: unit, count: copies), copies)
    }

    @Test func manyLinesOfTags() throws {
        let (text, copies) = mebibyteOf("{{#labels}}\nname={{[app.kubernetes.io/name]}} app={{app}}\n{{/labels}}\n")
        let output = try MustacheTemplate(parsing: text, name: "big").render(Self.context)
        #expect(output == String(repeating: "name=shop app=web\n", count: copies))
    }

    @Test func oneLongLineOfTags() throws {
        // Every tag on the same line: line and column bookkeeping must not rescan the line.
        let (text, copies) = mebibyteOf("{{#list}}{{.}}{{/list}} ")
        let output = try MustacheTemplate(parsing: text, name: "big").render(Self.context)
        #expect(output == String(repeating: "12 ", count: copies))
    }

    @Test func strictErrorAtTheEndOfALongLine() throws {
        let (text, copies) = mebibyteOf("{{labels.app}}é")
        let template = try MustacheTemplate(parsing: text + "{{nope}}", name: "big")
        #expect(throws: TemplateError(template: "big", line: 1, column: copies * 15 + 1, reason: .missingValue("nope")))
        {
            try template.render(Self.context, strict: true)
        }
    }

    @Test func longTextAndWhitespaceRuns() throws {
        // A mebibyte of blanks before a standalone tag, then a mebibyte of text after it.
        let blanks = String(repeating: " \t", count: Self.mebibyte / 2)
        let prose = String(repeating: "lorem ipsum ", count: Self.mebibyte / 12)
        let text = blanks + "{{! standalone }}\n" + prose + "{{labels.app}}"
        #expect(try MustacheTemplate(parsing: text, name: "big").render(Self.context) == prose + "web")
    }

    @Test func manyStandaloneLinesInAnIndentedPartial() throws {
        let (partialText, copies) = mebibyteOf("{{#list}}\n{{.}}\n{{/list}}\n{{! note }}\n")
        let partial = try MustacheTemplate(parsing: partialText, name: "part")
        let output = try MustacheTemplate(parsing: "  {{>part}}\n", name: "big").render(
            Self.context, partials: ["part": partial])
        #expect(output == String(repeating: "  1\n  2\n", count: copies))
    }

    @Test func unclosedTagAfterAMebibyteFailsOnce() {
        // One failing search to the end, not one per candidate delimiter.
        let text = String(repeating: "{ } {x} ", count: Self.mebibyte / 8) + "{{never closed } }"
        #expect(
            throws: TemplateError(
                template: "big", line: 1, column: Self.mebibyte + 1, reason: .unclosedTag(expected: "}}"))
        ) {
            try MustacheTemplate(parsing: text, name: "big")
        }
    }
}
