import PodmetaCore

/// The partials of one rendering of a template: `{{>name}}` is the file `name.mustache`
/// in the template's own directory, read (with the rules of the template itself: regular
/// files only, never blocking, at most 4 MiB) when the tag is first reached, so that a
/// partial edited in a ConfigMap is picked up at the next render like the template.
///
/// A name is one file name: a name with a `/`, or `.`/`..`, never reaches outside the
/// directory; it is an error, like a partial file that exists but cannot be read or does
/// not parse. A missing file is a partial not supplied: empty output, or an error in
/// strict mode (the renderer decides).
final class TemplatePartials {
    private let directory: String
    private var loaded: [String: MustacheTemplate?] = [:]
    /// The first partial that could not be used; the render is abandoned with it.
    private(set) var failure: TemplateOutputError?

    init(template: String) {
        if let slash = template.lastIndex(of: "/") {
            directory = slash == template.startIndex ? "/" : String(template[..<slash])
        } else {
            directory = "."
        }
    }

    func load(_ name: String) -> MustacheTemplate? {
        if let known = loaded[name] { return known }
        let template = read(name)
        loaded[name] = template
        return template
    }

    private func read(_ name: String) -> MustacheTemplate? {
        guard failure == nil else { return nil }
        guard !name.isEmpty, name != ".", name != "..", !name.contains("/"), !name.contains("\0") else {
            failure = TemplateOutputError(
                template: "\(directory)/", kind: .invalid,
                reason: "partial name \"\(name)\" is not a file name: partials are read from the template's directory")
            return nil
        }
        let path = directory == "/" ? "/\(name).mustache" : "\(directory)/\(name).mustache"
        do {
            return try TemplateOutput.load(path, missingIsNil: true)
        } catch {
            failure = error
            return nil
        }
    }
}
