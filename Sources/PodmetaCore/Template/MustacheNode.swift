/// One element of a parsed template.
enum MustacheNode: Sendable {
    case text(MustacheText)
    /// `{{name}}` (escaped) or `{{{name}}}`/`{{&name}}`.
    case variable(MustacheName, escaped: Bool, location: MustacheSourceLocation)
    /// `{{#name}}...{{/name}}`, or with `inverted` `{{^name}}...{{/name}}`.
    case section(MustacheName, inverted: Bool, body: [MustacheNode], location: MustacheSourceLocation)
    /// `{{>name}}`. `indentation` is nil for an inline tag and the whitespace before the tag
    /// for a standalone one (possibly empty).
    case partial(MustachePartialReference, indentation: [UInt8]?, location: MustacheSourceLocation)
}
