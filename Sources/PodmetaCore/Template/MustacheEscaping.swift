/// How ``MustacheTemplate`` escapes the output of `{{name}}` tags. `{{{name}}}` and
/// `{{&name}}` never escape.
public enum MustacheEscaping: Sendable, Hashable {
    /// The Mustache specification's behaviour: `&`, `<`, `>`, `"` and `'` become HTML
    /// entities. Right for HTML, usually wrong for config files.
    case html
    /// Values are written as they are: for config files, where `&amp;` would be a bug.
    case none
}
