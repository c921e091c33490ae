extension TemplateError {
    /// Why a template was rejected; the description is the tail of
    /// ``TemplateError/description``.
    public enum Reason: Sendable, Equatable, CustomStringConvertible {
        /// An opening delimiter without its closing one; `expected` is the closer searched for
        /// (`}}`, `}}}` after `{{{`, `=}}` after `{{=`).
        case unclosedTag(expected: String)
        /// A tag with nothing inside, such as `{{ }}` or `{{#}}`.
        case emptyTag
        /// A tag name that breaks the naming rules (whitespace, an empty dotted segment, an
        /// unterminated `[...]` segment); `problem` says which.
        case invalidName(String, problem: String)
        /// A section or inverted section that is still open at the end of the template.
        case unclosedSection(String)
        /// A closing tag with no section open.
        case unexpectedSectionClose(String)
        /// A closing tag whose name differs from the innermost open section's.
        case mismatchedSectionClose(open: String, close: String)
        /// A set-delimiter tag whose content is not two delimiters.
        case invalidDelimiters(String)
        /// A tag of an optional Mustache module podmeta does not implement (template
        /// inheritance: `{{<parent}}`, `{{$block}}`).
        case unsupportedTag(String)
        /// Sections nested deeper than the parser allows.
        case nestingTooDeep(limit: Int)
        /// Rendering went deeper than allowed: sections and partials nested (typically a
        /// partial that includes itself without end).
        case renderTooDeep(limit: Int)
        /// Strict mode: a variable tag whose name resolves to nothing.
        case missingValue(String)
        /// Strict mode: a partial tag naming a partial that was not supplied.
        case missingPartial(String)
        /// Strict mode: a dynamic partial tag (`{{>*name}}`) whose name does not resolve to a
        /// string.
        case invalidDynamicPartial(String)

        public var description: String {
            switch self {
            case .unclosedTag(let expected):
                return "unclosed tag, expected \(expected.debugDescription)"
            case .emptyTag:
                return "empty tag"
            case .invalidName(let name, let problem):
                return "invalid name \(name.debugDescription): \(problem)"
            case .unclosedSection(let name):
                return "unclosed section \(name.debugDescription)"
            case .unexpectedSectionClose(let name):
                return "closing tag \(name.debugDescription) without an open section"
            case .mismatchedSectionClose(let open, let close):
                return "section \(open.debugDescription) closed by \(close.debugDescription)"
            case .invalidDelimiters(let content):
                return
                    "invalid delimiters \(content.debugDescription): expected two delimiters without \"=\" separated by whitespace"
            case .unsupportedTag(let tag):
                return "unsupported tag \(tag.debugDescription): template inheritance is not implemented"
            case .nestingTooDeep(let limit):
                return "sections nested deeper than \(limit) levels"
            case .renderTooDeep(let limit):
                return "sections and partials nested deeper than \(limit) levels while rendering"
            case .missingValue(let name):
                return "missing value \(name.debugDescription)"
            case .missingPartial(let name):
                return "missing partial \(name.debugDescription)"
            case .invalidDynamicPartial(let name):
                return "dynamic partial name \(name.debugDescription) does not resolve to a string"
            }
        }
    }
}
