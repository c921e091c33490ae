import Testing

@testable import PodmetaCore

/// podmeta's additions to Mustache (literal `[...]` keys, strict mode, configurable
/// escaping) and the choices the spec leaves open (truthiness, value formatting).
@Suite struct MustacheExtensionTests {
    /// The shape of the snapshot document (docs/snapshot.md, "The snapshot document"), trimmed.
    static let snapshot: JSONValue = .object([
        "revision": .int(7),
        "pod": .object([
            "name": .string("web-0"), "namespace": .string("shop"),
            "ips": .array([.string("10.1.2.3"), .string("fd00::3")]),
        ]),
        "labels": .object(["app": .string("web"), "app.kubernetes.io/name": .string("shop"), "tier": .string("")]),
        "annotations": .object(["example.com/note": .string("multi\nline"), "a&b": .string("<x y='1'>")]),
        "resources": .object(["limits": .object(["cpu": .object(["millicores": .int(500), "cores": .double(0.5)])])]),
    ])

    private func render(
        _ text: String, _ context: JSONValue = snapshot, partials: [String: String] = [:],
        escape: MustacheEscaping = .html, strict: Bool = false
    ) throws -> String {
        var parsed: [String: MustacheTemplate] = [:]
        for (name, partial) in partials { parsed[name] = try MustacheTemplate(parsing: partial, name: name) }
        return try MustacheTemplate(parsing: text, name: "test.tmpl").render(
            context, partials: parsed, escape: escape, strict: strict)
    }

    // MARK: Literal keys

    @Test(arguments: [
        ("{{labels.[app.kubernetes.io/name]}}", "shop"),
        ("{{#labels}}{{[app.kubernetes.io/name]}}/{{app}}{{/labels}}", "shop/web"),
        ("{{#labels.[app.kubernetes.io/name]}}<{{.}}>{{/labels.[app.kubernetes.io/name]}}", "<shop>"),
        ("{{^labels.[app.kubernetes.io/version]}}no version{{/labels.[app.kubernetes.io/version]}}", "no version"),
        ("{{{annotations.[example.com/note]}}}", "multi\nline"),
        ("{{[labels].[app]}}", "web"),
        ("{{#resources.[limits].cpu}}{{millicores}}m={{cores}}{{/resources.[limits].cpu}}", "500m=0.5"),
        // Whitespace is fine inside brackets (a spec name could never hold it).
        ("{{[a key].[b.c]}}", "ok"),
        // Only a segment *starting* with "[" is literal: the rest is spec behaviour.
        ("{{a[0]}}", "plain"),
        // Without brackets the key splits, as the spec demands, and finds nothing.
        ("{{labels.app.kubernetes.io/name}}", ""),
    ])
    func literalKeys(template: String, expected: String) throws {
        let context = JSONValue.object(
            Self.snapshot.objectValue!.merging([
                "a key": .object(["b.c": .string("ok")]),
                "a[0]": .string("plain"),
            ]) { $1 })
        #expect(try render(template, context) == expected)
    }

    @Test func literalKeysNameDynamicPartials() throws {
        let context = JSONValue.object(["kinds": .object(["web.v1": .string("web")]), "x": .string("X")])
        #expect(try render("{{>*kinds.[web.v1]}}", context, partials: ["web": "<{{x}}>"]) == "<X>")
    }

    @Test(arguments: [
        ("{{labels.[app}}", #"invalid name "labels.[app": "[" without "]""#),
        ("{{labels.[]}}", #"invalid name "labels.[]": empty "[]" segment"#),
        ("{{labels.[a]b}}", #"invalid name "labels.[a]b": "]" must end the name or be followed by ".""#),
        ("{{labels..app}}", #"invalid name "labels..app": empty segment"#),
        ("{{labels.}}", #"invalid name "labels.": empty segment"#),
        ("{{.labels}}", #"invalid name ".labels": empty segment"#),
        ("{{#a b}}{{/a b}}", #"invalid name "a b": names cannot contain whitespace"#),
    ])
    func malformedNamesAreRejected(template: String, reason: String) {
        #expect(throws: TemplateError.self) { try render(template) }
        do {
            _ = try MustacheTemplate(parsing: template, name: "n")
        } catch {
            #expect(error.description == "n:1:1: \(reason)")
        }
    }

    // MARK: Strict mode

    @Test func strictModeReportsTheMissingVariableWithItsPosition() throws {
        let template = "[app]\nname = {{pod.name}}\nversion = {{labels.[app.kubernetes.io/version]}}\n"
        #expect(
            throws: TemplateError(
                template: "test.tmpl", line: 3, column: 11, reason: .missingValue("labels.[app.kubernetes.io/version]"))
        ) {
            try render(template, strict: true)
        }
        // The same template renders with an empty value outside strict mode.
        #expect(try render(template) == "[app]\nname = web-0\nversion = \n")
    }

    @Test(arguments: [
        "{{missing}}", "{{{missing}}}", "{{&missing}}", "{{pod.name.first}}", "{{pod.missing}}",
        "{{#pod}}{{nodeName}}{{/pod}}",
    ])
    func strictModeRejectsEveryFormOfMissingVariable(template: String) {
        #expect(throws: TemplateError.self) { try render(template, strict: true) }
        #expect((try? render(template)) == "")
    }

    @Test func strictModeErrorsInsidePartialsNameThePartial() {
        let partials = ["header.tmpl": "# {{pod.name}}\n# {{pod.node}}\n"]
        #expect(throws: TemplateError(template: "header.tmpl", line: 2, column: 3, reason: .missingValue("pod.node"))) {
            try render("x\n  {{>header.tmpl}}\n", partials: partials, strict: true)
        }
    }

    @Test func strictModeColumnsCountUnicodeScalars() {
        #expect(throws: TemplateError(template: "test.tmpl", line: 1, column: 5, reason: .missingValue("x"))) {
            try render("é😀= {{x}}", strict: true)
        }
    }

    @Test func strictModeRejectsMissingPartials() throws {
        #expect(throws: TemplateError(template: "test.tmpl", line: 2, column: 1, reason: .missingPartial("footer"))) {
            try render("a\n{{>footer}}\n", strict: true)
        }
        #expect(try render("a\n{{>footer}}\n") == "a\n")
        #expect(throws: TemplateError(template: "test.tmpl", line: 1, column: 1, reason: .missingValue("kind"))) {
            try render("{{>*kind}}", strict: true)
        }
        #expect(
            throws: TemplateError(template: "test.tmpl", line: 1, column: 1, reason: .invalidDynamicPartial("revision"))
        ) {
            try render("{{>*revision}}", strict: true)
        }
    }

    @Test func strictModeAcceptsNullAndLeavesSectionsAlone() throws {
        let context = JSONValue.object(["n": .null, "t": .bool(true)])
        #expect(try render("[{{n}}]", context, strict: true) == "[]")
        #expect(try render("{{#missing}}x{{/missing}}{{^missing}}none{{/missing}}", context, strict: true) == "none")
        #expect(try render("{{#t}}{{.}}{{/t}}", context, strict: true) == "true")
    }

    // MARK: Escaping

    @Test func escapingIsHTMLByDefaultAndCanBeTurnedOff() throws {
        let template = "{{annotations.[a&b]}}|{{{annotations.[a&b]}}}|{{&annotations.[a&b]}}"
        #expect(try render(template) == "&lt;x y=&#39;1&#39;&gt;|<x y='1'>|<x y='1'>")
        #expect(try render(template, escape: .none) == "<x y='1'>|<x y='1'>|<x y='1'>")
        #expect(try render(#"{{.}}"#, .string(#"&"<>'"#)) == "&amp;&quot;&lt;&gt;&#39;")
    }

    // MARK: Spec leeway

    @Test(arguments: [
        (JSONValue.bool(false), false), (.null, false), (.int(0), false), (.double(0), false),
        (.string(""), false), (.array([]), false),
        (.bool(true), true), (.int(-1), true), (.double(0.5), true), (.string("0"), true),
        (.string("false"), true), (.object([:]), true), (.array([.null]), true),
    ])
    func truthinessIsJavaScripts(value: JSONValue, truthy: Bool) throws {
        let context = JSONValue.object(["v": value])
        #expect(try render("{{#v}}T{{/v}}", context) == (truthy ? "T" : ""))
        #expect(try render("{{^v}}F{{/v}}", context) == (truthy ? "" : "F"))
    }

    @Test(arguments: [
        (JSONValue.int(-42), "-42"), (.int(Int64.max), "9223372036854775807"), (.double(0.5), "0.5"),
        (.double(128), "128"), (.double(1e300), "1e+300"), (.bool(true), "true"), (.bool(false), "false"),
        (.null, ""), (.string("a\u{0}b"), "a\u{0}b"),
        (.array([.int(1), .string("x")]), #"[1,"x"]"#),
        (.object(["b": .int(1), "a": .object([:])]), #"{"a":{},"b":1}"#),
    ])
    func valuesPrintLikeTheJSONRenderer(value: JSONValue, expected: String) throws {
        #expect(try render("{{{v}}}", .object(["v": value])) == expected)
    }

    @Test func staticPartialNamesAreNotSplitOnDots() throws {
        #expect(try render("{{>conf.d/app.tmpl}}", partials: ["conf.d/app.tmpl": "{{pod.name}}"]) == "web-0")
    }

    @Test func aTemplateRendersManyTimesWithDifferentContexts() throws {
        let template = try MustacheTemplate(parsing: "{{#pod.ips}}{{.}};{{/pod.ips}}", name: "ips")
        #expect(try template.render(Self.snapshot) == "10.1.2.3;fd00::3;")
        #expect(try template.render(.object(["pod": .object(["ips": .array([.string("::1")])])])) == "::1;")
        #expect(template.name == "ips")
    }

    @Test func standalonePartialsIndentEveryTemplateLineButNotInterpolatedLines() throws {
        let partials = ["list": "{{#pod.ips}}\n- {{.}}\n{{/pod.ips}}\nnote: {{{annotations.[example.com/note]}}}\n"]
        let output = try render("pod:\n  ips:\n    {{>list}}\nend\n", partials: partials)
        #expect(output == "pod:\n  ips:\n    - 10.1.2.3\n    - fd00::3\n    note: multi\nline\nend\n")
    }
}
