/// Mustache templates: the parser, and the renderer over a snapshot-shaped document.
/// Input: the template, then optionally a NUL byte and the text of a partial named `p`.
enum FuzzTemplate {
    static let context: JSONValue = .object([
        "pod": .object([
            "name": .string("web-7d4b9c"), "namespace": .string("shop"), "uid": .string("1f0e"),
            "ip": .string("10.0.0.7"), "ips": .array([.string("10.0.0.7"), .string("fd00::7")]),
        ]),
        "labels": .object(["app.kubernetes.io/name": .string("web"), "tier": .string("front <&>\"'")]),
        "annotations": .object(["example.com/note": .string("line1\nline2"), "empty": .string("")]),
        "resources": .object(["limits.cpu": .int(2), "requests.memory": .double(1.5e9), "zero": .int(0)]),
        "list": .array([.object(["a": .bool(true)]), .null, .array([]), .object([:])]),
        "revision": .int(42),
    ])

    static func run(_ bytes: [UInt8]) {
        let split = bytes.firstIndex(of: 0) ?? bytes.endIndex
        let text = String(decoding: bytes[..<split], as: UTF8.self)
        guard let template = try? MustacheTemplate(parsing: text, name: "fuzz") else { return }
        var partials: [String: MustacheTemplate] = [:]
        if split < bytes.endIndex {
            let partialText = String(decoding: bytes[(split + 1)...], as: UTF8.self)
            partials["p"] = try? MustacheTemplate(parsing: partialText, name: "p")
        }
        let plain: String
        do {
            plain = try template.render(context, partials: partials, escape: .none, strict: false)
        } catch {
            // Outside strict mode only runaway nesting (a partial including itself) may fail.
            guard case .renderTooDeep = error.reason else { fatalError("non-strict render threw \(error)") }
            return
        }
        _ = try? template.render(context, partials: partials, escape: .html, strict: true)
        // Text without tags renders as itself.
        if !text.utf8.contains(UInt8(ascii: "{")) {
            fuzzCheck(plain == text, "a template without tags rendered as something else")
        }
    }
}
