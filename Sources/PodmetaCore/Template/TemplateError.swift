/// A Mustache template could not be parsed, or (in strict mode) could not be rendered.
///
/// Every error points at the tag at fault: ``template`` is the name the template was parsed
/// with (for an error inside a partial, the partial's own name), ``line`` and ``column`` are
/// 1-based, and columns count Unicode scalars, so `é` is one column.
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The name of the template that holds the tag, as given to
    /// ``MustacheTemplate/init(parsing:name:)``.
    public var template: String
    /// 1-based line of the tag's opening delimiter.
    public var line: Int
    /// 1-based column (in Unicode scalars) of the tag's opening delimiter.
    public var column: Int
    /// What is wrong.
    public var reason: Reason

    public init(template: String, line: Int, column: Int, reason: Reason) {
        self.template = template
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `app.ini.tmpl:3:14: unclosed section "labels"`: the form compilers use, so editors
    /// can jump to it.
    public var description: String { "\(template):\(line):\(column): \(reason)" }
}
