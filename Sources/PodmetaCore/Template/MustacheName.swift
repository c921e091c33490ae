/// A tag name: `.` (the implicit iterator), or dotted segments resolved one after another.
///
/// podmeta extension: a segment written `[...]` is one literal key, dots and slashes
/// included, so `labels.[app.kubernetes.io/name]` is the key `app.kubernetes.io/name` of
/// `labels` (the segment-literal syntax of Handlebars). The bracketed key may contain any
/// character but `]`, whitespace included. A segment only takes this meaning when it
/// *starts* with `[`; `a[0]` is still the plain key `a[0]`.
struct MustacheName: Sendable, Hashable {
    /// The name as written in the tag, trimmed: for closing-tag matching and messages.
    let text: String
    /// The keys to resolve; empty for the implicit iterator `.`.
    let segments: [String]

    var isImplicitIterator: Bool { segments.isEmpty }

    /// Parses the trimmed content of a tag; `fail` builds the error for the tag at hand.
    init(
        parsing content: ArraySlice<UInt8>,
        fail: (TemplateError.Reason) -> TemplateError
    ) throws(TemplateError) {
        let text = String(decoding: content, as: UTF8.self)
        guard !content.isEmpty else { throw fail(.emptyTag) }
        if content.count == 1, content.first == UInt8(ascii: ".") {
            self.text = text
            self.segments = []
            return
        }
        var segments: [String] = []
        var index = content.startIndex
        while true {
            if index < content.endIndex, content[index] == UInt8(ascii: "[") {
                guard let close = content[(index + 1)...].firstIndex(of: UInt8(ascii: "]")) else {
                    throw fail(.invalidName(text, problem: "\"[\" without \"]\""))
                }
                guard close > index + 1 else { throw fail(.invalidName(text, problem: "empty \"[]\" segment")) }
                segments.append(String(decoding: content[(index + 1)..<close], as: UTF8.self))
                index = close + 1
                guard index == content.endIndex || content[index] == UInt8(ascii: ".") else {
                    throw fail(.invalidName(text, problem: "\"]\" must end the name or be followed by \".\""))
                }
            } else {
                let end = content[index...].firstIndex(of: UInt8(ascii: ".")) ?? content.endIndex
                let segment = content[index..<end]
                guard !segment.isEmpty else { throw fail(.invalidName(text, problem: "empty segment")) }
                if segment.contains(where: MustacheName.isWhitespace) {
                    throw fail(.invalidName(text, problem: "names cannot contain whitespace"))
                }
                segments.append(String(decoding: segment, as: UTF8.self))
                index = end
            }
            if index == content.endIndex { break }
            // On a "." separator: a name cannot end with one.
            index += 1
            guard index < content.endIndex else { throw fail(.invalidName(text, problem: "empty segment")) }
        }
        self.text = text
        self.segments = segments
    }

    /// ASCII whitespace, the only kind that ends names and pads tags.
    static func isWhitespace(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C: return true
        default: return false
        }
    }
}
