extension SplitMix64 {
    /// Pieces that make tag soup: delimiters, sigils, names (plain, dotted, bracketed),
    /// whitespace and line breaks, delimiter changes, and whole well-formed tags.
    static let fragments: [String] = [
        "{{", "}}", "{{{", "}}}", "{", "}", "#", "^", "/", "!", ">", "&", "=", "*", ".", "[", "]",
        "a", "b", "a.b", "[a.b]", "list", "obj", "s", " ", "  ", "\t", "\n", "\r\n", "\r", "é", "😀",
        "{{a}}", "{{{b}}}", "{{&s}}", "{{.}}", "{{#a}}", "{{/a}}", "{{^b}}", "{{/b}}", "{{#list}}",
        "{{/list}}", "{{#obj}}", "{{/obj}}", "{{!c}}", "{{! multi\nline }}", "{{>p}}", "{{>q}}",
        "{{>*s}}", "{{=<% %>=}}", "<%", "%>", "<%a%>", "<%={{ }}=%>", "{{=| |=}}", "|", "|a|",
        "{{obj.[x.y]}}", "{{#obj.[x.y]}}", "{{/obj.[x.y]}}", "{{ a }}", "{{# a }}", "{{/ a }}",
    ]

    /// Text and whole tags that parse on their own (no sections, no delimiter changes).
    static let safeFragments: [String] = [
        "a", "é", " ", "\t", "\n", "\r\n", "  ", "x = ", "{{a}}", "{{{b}}}", "{{&s}}", "{{.}}",
        "{{!c}}", "{{b}}", "{{obj.[x.y]}}", "{{obj.b}}", "{{missing}}", "{{list}}", "{{>p}}",
        "{{>q}}", "{{>*s}}", "{{>*obj}}", "\n  {{>p}}\n", "\n{{!c}}\n",
    ]

    static let sectionNames = ["#a", "^b", "#list", "#obj", "#obj.[x.y]", "#.", "^.", "#missing", "^list", "#b"]

    /// A mostly well-formed template: balanced sections (often on standalone lines) around
    /// safe fragments, with a raw fragment now and then to break it.
    mutating func template(maxItems: Int, depth: Int = 0) -> String {
        var text = ""
        for _ in 0..<Int.random(in: 0...maxItems, using: &self) {
            switch Int.random(in: 0..<10, using: &self) {
            case 0:
                text += Self.fragments.randomElement(using: &self)!
            case 1...2 where depth < 4:
                let open = Self.sectionNames.randomElement(using: &self)!
                let line = Bool.random(using: &self) ? "\n" : ""
                text += "{{\(open)}}\(line)" + template(maxItems: maxItems / 2, depth: depth + 1)
                text += "\(line){{/\(open.dropFirst())}}\(line)"
            default:
                text += Self.safeFragments.randomElement(using: &self)!
            }
        }
        return text
    }

    /// Up to `maxFragments` fragments glued together.
    mutating func tagSoup(maxFragments: Int) -> String {
        let count = Int.random(in: 0...maxFragments, using: &self)
        var text = ""
        for _ in 0..<count { text += Self.fragments.randomElement(using: &self)! }
        return text
    }
}
