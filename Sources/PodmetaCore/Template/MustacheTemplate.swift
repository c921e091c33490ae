/// A parsed Mustache template: parse once, render many times against ``JSONValue``s.
///
/// podmeta renders config-file templates (`--template SRC:DEST[:MODE]`) with the snapshot
/// document as the context. The engine follows the Mustache specification
/// (github.com/mustache/spec, v1.4.2): interpolation, sections, inverted sections, comments,
/// partials with standalone indentation, set delimiters, the standalone-line whitespace
/// rules, and the optional dynamic-names module (`{{>*name}}`). Every case of those spec
/// files passes (Tests/PodmetaCoreTests/Fixtures/mustache-spec). Lambdas cannot apply (JSON
/// has no functions); template inheritance (`{{<parent}}`, `{{$block}}`) is not implemented
/// and its tags are rejected when parsed.
///
/// Choices the spec leaves to the implementation:
/// - Truthiness is JavaScript's, JSON's host language (the spec says `!!data`): `false`,
///   `null`, `0`, `""` and `[]` are falsey; `{}` and every other value is truthy.
/// - Numbers print as ``JSONRenderer`` prints them (`85`, `1.21`), `true`/`false` as words,
///   `null` as nothing, arrays and objects as compact JSON (`{{{labels}}}` gives
///   `{"app":"web"}`).
/// - A static partial name is taken as written, never split on dots (`{{>header.tmpl}}`).
///
/// podmeta extensions:
/// - **Literal keys.** Kubernetes label and annotation keys contain dots and slashes, which
///   dotted names would split. A name segment written in brackets is one literal key:
///   `{{labels.[app.kubernetes.io/name]}}`, `{{#annotations.[example.com/note]}}`. This is
///   Handlebars' segment-literal syntax. It only takes effect on a segment that *starts*
///   with `[` (`a[0]` stays the plain key `a[0]`); the spec defines no meaning for such a
///   name and none of its tests uses one, and Kubernetes keys cannot contain brackets.
///   Inside the brackets any character but `]` is allowed, whitespace included.
/// - **Strict mode** (`strict: true`): a variable tag (`{{x}}`, `{{{x}}}`, `{{&x}}`) whose
///   name resolves to nothing, a partial that was not supplied, and a dynamic partial name
///   that does not resolve to a string throw a ``TemplateError`` carrying the template name,
///   line and column of the tag, instead of rendering nothing. A value that is present but
///   `null` still renders as nothing. Section and inverted-section tags never throw: testing
///   whether a key exists is their job (`{{#labels.[tier]}}tier={{.}}{{/labels.[tier]}}`).
/// - **Escaping** (`escape:`): `.html` (the default, as the spec requires) makes `{{x}}`
///   escape `& < > " '`; config files usually want `.none`. `{{{x}}}` and `{{&x}}` never
///   escape.
public struct MustacheTemplate: Sendable {
    /// The name given at parse time; errors from this template carry it.
    public let name: String
    let nodes: [MustacheNode]

    /// Parses `text`. `name` identifies the template in errors (a file name, typically).
    ///
    /// Throws on unclosed tags and sections, mismatched closing tags, invalid names, invalid
    /// set-delimiter tags, sections nested deeper than 100 levels, and template-inheritance
    /// tags.
    public init(parsing text: String, name: String) throws(TemplateError) {
        self.name = name
        self.nodes = try MustacheParser.parse(text, name: name)
    }

    /// Renders the template with `context` at the bottom of the context stack.
    ///
    /// - Parameters:
    ///   - partials: the templates `{{>name}}` tags include, by name. A partial is rendered
    ///     against the context stack at its tag; errors inside it carry its own ``name``.
    ///   - escape: what `{{x}}` does to the value; `.html` is the spec's behaviour.
    ///   - strict: whether a missing variable or partial is an error rather than empty output.
    /// - Throws: in strict mode, the first missing variable or partial; in any mode, sections
    ///   and partials nested deeper than 200 levels at render time (a partial that includes
    ///   itself without end).
    public func render(
        _ context: JSONValue,
        partials: [String: MustacheTemplate] = [:],
        escape: MustacheEscaping = .html,
        strict: Bool = false
    ) throws(TemplateError) -> String {
        try render(context, escape: escape, strict: strict) { partials[$0] }
    }

    /// Renders the template, asking `partial` for each partial when a `{{>name}}` tag is
    /// reached (nil: not supplied), so that partials can be loaded on demand, including
    /// dynamic ones whose names are only known at render time.
    public func render(
        _ context: JSONValue,
        escape: MustacheEscaping = .html,
        strict: Bool = false,
        partial: @escaping (String) -> MustacheTemplate?
    ) throws(TemplateError) -> String {
        var renderer = MustacheRenderer(context: context, partial: partial, escaping: escape, strict: strict)
        try renderer.render(nodes, template: name, indentation: [])
        return String(decoding: renderer.output, as: UTF8.self)
    }
}
