import Testing

@testable import PodmetaCore

/// Templates that cannot be parsed, and renders that go too deep: each error names the
/// template, the line and column of the tag at fault, and the reason.
@Suite struct MustacheErrorTests {
    struct BadTemplate: Sendable, CustomTestStringConvertible {
        var text: String
        var line: Int
        var column: Int
        var reason: TemplateError.Reason
        var testDescription: String { text.debugDescription }
    }

    static let badTemplates: [BadTemplate] = [
        .init(text: "{{x", line: 1, column: 1, reason: .unclosedTag(expected: "}}")),
        .init(text: "a\n  é {{{x}}", line: 2, column: 5, reason: .unclosedTag(expected: "}}}")),
        .init(text: "{{! never closed\n", line: 1, column: 1, reason: .unclosedTag(expected: "}}")),
        .init(text: "{{#a}}\n{{/b}}", line: 2, column: 1, reason: .mismatchedSectionClose(open: "a", close: "b")),
        .init(
            text: "{{#a}}{{^b}}{{/a}}{{/b}}", line: 1, column: 13,
            reason: .mismatchedSectionClose(open: "b", close: "a")),
        .init(text: "x\r\ny {{/a}}", line: 2, column: 3, reason: .unexpectedSectionClose("a")),
        .init(text: "{{#a}}\n {{#b}}\n {{/b}}\n", line: 1, column: 1, reason: .unclosedSection("a")),
        .init(text: "{{#a}}{{#b}}", line: 1, column: 7, reason: .unclosedSection("b")),
        .init(text: "{{=<% %>}}", line: 1, column: 1, reason: .unclosedTag(expected: "=}}")),
        .init(text: "{{=<%=}}", line: 1, column: 1, reason: .invalidDelimiters("<%")),
        .init(text: "{{=<% % %>=}}", line: 1, column: 1, reason: .invalidDelimiters("<% % %>")),
        .init(text: "{{==}}", line: 1, column: 1, reason: .invalidDelimiters("")),
        .init(text: "{{=a= b=}}", line: 1, column: 1, reason: .invalidDelimiters("a= b")),
        .init(text: "{{=<% %>=}}\nok <%x%>\n<%x}}", line: 3, column: 1, reason: .unclosedTag(expected: "%>")),
        .init(text: "{{ }}", line: 1, column: 1, reason: .emptyTag),
        .init(text: "{{#}}", line: 1, column: 1, reason: .emptyTag),
        .init(text: "{{#a}}{{/}}", line: 1, column: 7, reason: .emptyTag),
        .init(text: "{{>}}", line: 1, column: 1, reason: .emptyTag),
        .init(text: "{{>*}}", line: 1, column: 1, reason: .emptyTag),
        .init(text: "{{{}}}", line: 1, column: 1, reason: .emptyTag),
        .init(
            text: "{{> a b}}", line: 1, column: 1,
            reason: .invalidName("a b", problem: "names cannot contain whitespace")),
        .init(text: "{{<parent}}{{/parent}}", line: 1, column: 1, reason: .unsupportedTag("<")),
        .init(text: "x {{$block}}{{/block}}", line: 1, column: 3, reason: .unsupportedTag("$")),
        .init(
            text: String(repeating: "{{#a}}", count: 101), line: 1, column: 601,
            reason: .nestingTooDeep(limit: MustacheParser.maximumNesting)),
    ]

    @Test(arguments: badTemplates)
    func parseErrorsPointAtTheTag(_ bad: BadTemplate) {
        #expect(throws: TemplateError(template: "bad.tmpl", line: bad.line, column: bad.column, reason: bad.reason)) {
            try MustacheTemplate(parsing: bad.text, name: "bad.tmpl")
        }
    }

    @Test func descriptionIsOneLineInCompilerForm() {
        let text = "[main]\nname = {{pod.name}}\nlabels-start {{#labels}}\n{{app}}\n"
        #expect(throws: TemplateError.self) { try MustacheTemplate(parsing: text, name: "app.ini.tmpl") }
        do {
            _ = try MustacheTemplate(parsing: text, name: "app.ini.tmpl")
        } catch {
            #expect(error.description == #"app.ini.tmpl:3:14: unclosed section "labels""#)
        }
        let reasons: [TemplateError.Reason] = [
            .unclosedTag(expected: "}}"), .emptyTag, .invalidName("a b", problem: "p"), .unclosedSection("s"),
            .unexpectedSectionClose("s"), .mismatchedSectionClose(open: "a", close: "b"), .invalidDelimiters("x"),
            .unsupportedTag("<"), .nestingTooDeep(limit: 1), .renderTooDeep(limit: 1), .missingValue("v"),
            .missingPartial("p"), .invalidDynamicPartial("d"),
        ]
        for reason in reasons {
            let description = TemplateError(template: "t", line: 1, column: 2, reason: reason).description
            #expect(description.hasPrefix("t:1:2: "))
            #expect(!description.contains("\n"))
        }
    }

    @Test func sectionNestingUpToTheLimitParsesAndRenders() throws {
        let depth = MustacheParser.maximumNesting
        let text = String(repeating: "{{#a}}", count: depth) + "{{v}}" + String(repeating: "{{/a}}", count: depth)
        var context = JSONValue.object(["v": .string("deep")])
        for _ in 0..<depth { context = .object(["a": context]) }
        #expect(try MustacheTemplate(parsing: text, name: "deep").render(context) == "deep")
    }

    @Test func selfIncludingPartialEndsInAnError() throws {
        let partial = try MustacheTemplate(parsing: "x\n{{>loop}}", name: "loop")
        #expect(
            throws: TemplateError(
                template: "loop", line: 2, column: 1, reason: .renderTooDeep(limit: MustacheRenderer.maximumDepth))
        ) {
            try MustacheTemplate(parsing: "{{>loop}}", name: "main").render(.null, partials: ["loop": partial])
        }
    }

    @Test func recursionThroughDataIsBoundedToo() throws {
        // A tree deeper than the render limit, walked by a recursive partial.
        // The leaf needs its own empty "children": a missing key resolves further down the
        // context stack, to the parent's children, and would recurse forever.
        let leaf = JSONValue.object(["name": .string("leaf"), "children": .array([])])
        var tree = leaf
        for level in 0..<150 { tree = .object(["name": .string("n\(level)"), "children": .array([tree])]) }
        let node = try MustacheTemplate(parsing: "{{name}}({{#children}}{{>node}}{{/children}})", name: "node")
        #expect(throws: TemplateError.self) { try node.render(tree, partials: ["node": node]) }
        // A shallower one renders.
        var small = leaf
        for level in 0..<3 { small = .object(["name": .string("n\(level)"), "children": .array([small])]) }
        #expect(try node.render(small, partials: ["node": node]) == "n2(n1(n0(leaf())))")
    }
}
