/// The partial a `{{>...}}` tag names.
enum MustachePartialReference: Sendable {
    /// `{{>header.mustache}}`: the partial's name, used as is (never split on dots).
    case fixed(String)
    /// `{{>*name}}` (the optional dynamic-names module): the name is resolved in the
    /// context and its string value names the partial.
    case dynamic(MustacheName)
}
