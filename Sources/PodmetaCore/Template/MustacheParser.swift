/// Turns template text into ``MustacheNode``s in one forward pass over its UTF-8 bytes.
///
/// Linear by design: each byte is looked at a bounded number of times (the search for the
/// next delimiter, the whitespace scans around a candidate standalone tag, and the cursor
/// that turns offsets into line and column only ever moves forward), and sections are kept
/// on an explicit stack, so neither a 1 MiB template nor deep nesting recurses.
struct MustacheParser {
    /// Deeper section nesting is rejected: rendering and releasing the node tree recurse.
    static let maximumNesting = 100

    private let source: [UInt8]
    private let templateName: String
    private var openDelimiter: [UInt8] = Array("{{".utf8)
    private var closeDelimiter: [UInt8] = Array("}}".utf8)
    /// Everything before this offset has been turned into nodes (or dropped as a standalone
    /// line's whitespace).
    private var position = 0

    private var cursorOffset = 0
    private var cursorLine = 1
    private var cursorColumn = 1

    private var pending = MustacheText()

    private struct Frame {
        var nodes: [MustacheNode] = []
        /// Nil for the template itself.
        var opener: (name: MustacheName, inverted: Bool, location: MustacheSourceLocation)?
    }

    private var frames: [Frame] = [Frame()]

    private init(source: [UInt8], templateName: String) {
        self.source = source
        self.templateName = templateName
    }

    static func parse(_ text: String, name: String) throws(TemplateError) -> [MustacheNode] {
        var parser = MustacheParser(source: Array(text.utf8), templateName: name)
        return try parser.run()
    }

    private enum TagKind: Equatable {
        case variable(escaped: Bool)
        case section
        case invertedSection
        case close
        case comment
        case partial
        case setDelimiters

        var canStandAlone: Bool {
            if case .variable = self { return false }
            return true
        }
    }

    private mutating func run() throws(TemplateError) -> [MustacheNode] {
        while let tagStart = find(openDelimiter, from: position) {
            let location = locate(tagStart)
            let templateName = self.templateName
            let fail = { (reason: TemplateError.Reason) in
                TemplateError(template: templateName, line: location.line, column: location.column, reason: reason)
            }

            var index = skipWhitespace(from: tagStart + openDelimiter.count)
            let kind: TagKind
            var closer = closeDelimiter
            switch index < source.count ? source[index] : 0 {
            case UInt8(ascii: "!"): kind = .comment
            case UInt8(ascii: "#"): kind = .section
            case UInt8(ascii: "^"): kind = .invertedSection
            case UInt8(ascii: "/"): kind = .close
            case UInt8(ascii: ">"): kind = .partial
            case UInt8(ascii: "&"): kind = .variable(escaped: false)
            case UInt8(ascii: "{"):
                kind = .variable(escaped: false)
                closer = [UInt8(ascii: "}")] + closeDelimiter
            case UInt8(ascii: "="):
                kind = .setDelimiters
                closer = [UInt8(ascii: "=")] + closeDelimiter
            case UInt8(ascii: "<"), UInt8(ascii: "$"):
                throw fail(.unsupportedTag(String(decoding: source[index...index], as: UTF8.self)))
            default:
                kind = .variable(escaped: true)
                index -= 1  // no sigil to step over
            }
            let contentStart = index + 1
            guard let closerStart = find(closer, from: contentStart) else {
                throw fail(.unclosedTag(expected: String(decoding: closer, as: UTF8.self)))
            }
            let tagEnd = closerStart + closer.count
            let content = trimmed(source[contentStart..<closerStart])

            if kind.canStandAlone, let line = standaloneLine(tagStart: tagStart, tagEnd: tagEnd) {
                appendText(upTo: line.start, markLineStartAtEnd: false)
                position = line.next
                try handle(
                    kind, content: content, indentation: Array(source[line.start..<tagStart]), location: location,
                    fail: fail)
            } else {
                appendText(upTo: tagStart, markLineStartAtEnd: true)
                position = tagEnd
                try handle(kind, content: content, indentation: nil, location: location, fail: fail)
            }
        }
        appendText(upTo: source.count, markLineStartAtEnd: false)
        flushText()
        if let opener = frames.last?.opener {
            throw TemplateError(
                template: templateName, line: opener.location.line, column: opener.location.column,
                reason: .unclosedSection(opener.name.text))
        }
        return frames[0].nodes
    }

    /// `indentation` is the whitespace before a standalone tag, nil when the tag is inline.
    private mutating func handle(
        _ kind: TagKind,
        content: ArraySlice<UInt8>,
        indentation: [UInt8]?,
        location: MustacheSourceLocation,
        fail: (TemplateError.Reason) -> TemplateError
    ) throws(TemplateError) {
        switch kind {
        case .comment:
            break
        case .variable(let escaped):
            let name = try MustacheName(parsing: content, fail: fail)
            append(.variable(name, escaped: escaped, location: location))
        case .section, .invertedSection:
            let name = try MustacheName(parsing: content, fail: fail)
            guard frames.count <= MustacheParser.maximumNesting else {
                throw fail(.nestingTooDeep(limit: MustacheParser.maximumNesting))
            }
            flushText()
            frames.append(Frame(opener: (name, kind == .invertedSection, location)))
        case .close:
            guard !content.isEmpty else { throw fail(.emptyTag) }
            let text = String(decoding: content, as: UTF8.self)
            guard let opener = frames.last?.opener else { throw fail(.unexpectedSectionClose(text)) }
            guard opener.name.text == text else {
                throw fail(.mismatchedSectionClose(open: opener.name.text, close: text))
            }
            flushText()
            let frame = frames.removeLast()
            append(.section(opener.name, inverted: opener.inverted, body: frame.nodes, location: opener.location))
        case .partial:
            if content.first == UInt8(ascii: "*") {
                let name = try MustacheName(parsing: trimmed(content.dropFirst()), fail: fail)
                append(.partial(.dynamic(name), indentation: indentation, location: location))
            } else {
                guard !content.isEmpty else { throw fail(.emptyTag) }
                let text = String(decoding: content, as: UTF8.self)
                if content.contains(where: MustacheName.isWhitespace) {
                    throw fail(.invalidName(text, problem: "names cannot contain whitespace"))
                }
                append(.partial(.fixed(text), indentation: indentation, location: location))
            }
        case .setDelimiters:
            let parts = content.split(whereSeparator: MustacheName.isWhitespace)
            guard parts.count == 2, !parts.contains(where: { $0.contains(UInt8(ascii: "=")) }) else {
                throw fail(.invalidDelimiters(String(decoding: content, as: UTF8.self)))
            }
            openDelimiter = Array(parts[0])
            closeDelimiter = Array(parts[1])
        }
    }

    // MARK: Standalone lines

    /// The line holding the tag, when nothing but spaces and tabs share it with the tag: the
    /// offset where the line starts and the offset after its line break (or the end).
    /// Scans only the whitespace next to the tag, never back past ``position``.
    private func standaloneLine(tagStart: Int, tagEnd: Int) -> (start: Int, next: Int)? {
        var start = tagStart
        while start > position, MustacheParser.isBlank(source[start - 1]) { start -= 1 }
        // At `position` the byte before is either a line break a previous standalone tag
        // consumed, or the last byte of a previous tag on this line (never blank: delimiters
        // contain no whitespace).
        guard start == 0 || source[start - 1] == UInt8(ascii: "\n") else { return nil }
        var end = tagEnd
        while end < source.count, MustacheParser.isBlank(source[end]) { end += 1 }
        if end == source.count { return (start, end) }
        if source[end] == UInt8(ascii: "\n") { return (start, end + 1) }
        if source[end] == UInt8(ascii: "\r"), end + 1 < source.count, source[end + 1] == UInt8(ascii: "\n") {
            return (start, end + 2)
        }
        return nil
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09
    }

    // MARK: Nodes

    /// Moves `source[position..<end]` into the pending text, marking where template lines
    /// begin; the line beginning at `end` itself is marked only when asked (an inline tag
    /// starts it; a standalone tag's line is dropped).
    private mutating func appendText(upTo end: Int, markLineStartAtEnd: Bool) {
        let start = position
        guard start <= end else { return }
        let base = pending.bytes.count - start
        if start < end || markLineStartAtEnd, start == 0 || source[start - 1] == UInt8(ascii: "\n") {
            pending.lineStarts.append(start + base)
        }
        var index = start
        while index < end {
            if source[index] == UInt8(ascii: "\n"), index + 1 < end || markLineStartAtEnd {
                pending.lineStarts.append(index + 1 + base)
            }
            index += 1
        }
        pending.bytes.append(contentsOf: source[start..<end])
    }

    private mutating func flushText() {
        guard !pending.isEmpty else { return }
        frames[frames.count - 1].nodes.append(.text(pending))
        pending = MustacheText()
    }

    private mutating func append(_ node: MustacheNode) {
        flushText()
        frames[frames.count - 1].nodes.append(node)
    }

    // MARK: Scanning

    private func find(_ pattern: [UInt8], from start: Int) -> Int? {
        guard let first = pattern.first, pattern.count <= source.count else { return nil }
        var index = start
        let last = source.count - pattern.count
        while index <= last {
            if source[index] == first {
                var matched = 1
                while matched < pattern.count, source[index + matched] == pattern[matched] { matched += 1 }
                if matched == pattern.count { return index }
            }
            index += 1
        }
        return nil
    }

    private func skipWhitespace(from start: Int) -> Int {
        var index = start
        while index < source.count, MustacheName.isWhitespace(source[index]) { index += 1 }
        return index
    }

    private func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, MustacheName.isWhitespace(first) { slice = slice.dropFirst() }
        while let last = slice.last, MustacheName.isWhitespace(last) { slice = slice.dropLast() }
        return slice
    }

    /// Line and column of `offset`; offsets must be asked for in ascending order.
    private mutating func locate(_ offset: Int) -> MustacheSourceLocation {
        while cursorOffset < offset {
            let byte = source[cursorOffset]
            if byte == UInt8(ascii: "\n") {
                cursorLine += 1
                cursorColumn = 1
            } else if byte & 0xC0 != 0x80 {
                cursorColumn += 1
            }
            cursorOffset += 1
        }
        return MustacheSourceLocation(line: cursorLine, column: cursorColumn)
    }
}
