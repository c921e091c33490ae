/// One rendering of a parsed template: the context stack, the output, the options.
struct MustacheRenderer {
    /// Sections entered plus partials included, at most: a partial that includes itself
    /// must end in an error, not in a stack overflow.
    static let maximumDepth = 200

    private let partial: (String) -> MustacheTemplate?
    private let escaping: MustacheEscaping
    private let strict: Bool
    private(set) var output: [UInt8] = []
    private var stack: [JSONValue]
    private var depth = 0

    init(
        context: JSONValue, partial: @escaping (String) -> MustacheTemplate?, escaping: MustacheEscaping, strict: Bool
    ) {
        self.stack = [context]
        self.partial = partial
        self.escaping = escaping
        self.strict = strict
    }

    /// Renders `nodes` of the template named `template`, prefixing each of its lines with
    /// `indentation` (non-empty only inside a standalone partial).
    mutating func render(_ nodes: [MustacheNode], template: String, indentation: [UInt8]) throws(TemplateError) {
        for node in nodes {
            switch node {
            case .text(let text):
                append(text, indentation: indentation)

            case .variable(let name, let escaped, let location):
                guard let value = lookup(name) else {
                    if strict { throw error(.missingValue(name.text), template, location) }
                    continue
                }
                append(value, escaped: escaped && escaping == .html)

            case .section(let name, let inverted, let body, let location):
                // Strict mode leaves sections alone: testing for presence is what they are for.
                let value = lookup(name)
                let truthy = value.map(MustacheRenderer.isTruthy) ?? false
                if inverted {
                    if !truthy { try render(body, template: template, indentation: indentation) }
                } else if truthy, let value {
                    if case .array(let elements) = value {
                        for element in elements {
                            try renderSection(
                                body, pushing: element, template: template, indentation: indentation, location: location
                            )
                        }
                    } else {
                        try renderSection(
                            body, pushing: value, template: template, indentation: indentation, location: location)
                    }
                }

            case .partial(let reference, let ownIndentation, let location):
                let partialName: String
                switch reference {
                case .fixed(let fixed):
                    partialName = fixed
                case .dynamic(let name):
                    guard let value = lookup(name) else {
                        if strict { throw error(.missingValue(name.text), template, location) }
                        continue
                    }
                    guard case .string(let resolved) = value else {
                        if strict { throw error(.invalidDynamicPartial(name.text), template, location) }
                        continue
                    }
                    partialName = resolved
                }
                guard let partial = partial(partialName) else {
                    if strict { throw error(.missingPartial(partialName), template, location) }
                    continue
                }
                try enter(template, location)
                defer { depth -= 1 }
                // An inline partial starts mid-line: the spec indents only standalone ones.
                let inner = ownIndentation.map { indentation + $0 } ?? []
                try render(partial.nodes, template: partial.name, indentation: inner)
            }
        }
    }

    private mutating func renderSection(
        _ body: [MustacheNode], pushing value: JSONValue, template: String, indentation: [UInt8],
        location: MustacheSourceLocation
    ) throws(TemplateError) {
        try enter(template, location)
        stack.append(value)
        defer {
            stack.removeLast()
            depth -= 1
        }
        try render(body, template: template, indentation: indentation)
    }

    private mutating func enter(_ template: String, _ location: MustacheSourceLocation) throws(TemplateError) {
        guard depth < MustacheRenderer.maximumDepth else {
            throw error(.renderTooDeep(limit: MustacheRenderer.maximumDepth), template, location)
        }
        depth += 1
    }

    private func error(_ reason: TemplateError.Reason, _ template: String, _ location: MustacheSourceLocation)
        -> TemplateError
    {
        TemplateError(template: template, line: location.line, column: location.column, reason: reason)
    }

    // MARK: Lookup

    /// The spec's resolution: the first segment is looked up through the context stack from
    /// the top, the rest only inside the value found; nil when any step misses.
    private func lookup(_ name: MustacheName) -> JSONValue? {
        guard let first = name.segments.first else { return stack.last }
        var found: JSONValue?
        for context in stack.reversed() {
            if case .object(let members) = context, let value = members[first] {
                found = value
                break
            }
        }
        guard var current = found else { return nil }
        for segment in name.segments.dropFirst() {
            guard case .object(let members) = current, let value = members[segment] else { return nil }
            current = value
        }
        return current
    }

    /// The spec coerces data with the host language's `!!data`; for JSON that language is
    /// JavaScript: `false`, `null`, `0`, `""` and `[]` are falsey, everything else (`{}`
    /// included) is truthy.
    static func isTruthy(_ value: JSONValue) -> Bool {
        switch value {
        case .null: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0 && !d.isNaN
        case .string(let s): return !s.isEmpty
        case .array(let elements): return !elements.isEmpty
        case .object: return true
        }
    }

    // MARK: Output

    private mutating func append(_ text: MustacheText, indentation: [UInt8]) {
        guard !indentation.isEmpty, !text.lineStarts.isEmpty else {
            output.append(contentsOf: text.bytes)
            return
        }
        var previous = 0
        for lineStart in text.lineStarts {
            output.append(contentsOf: text.bytes[previous..<lineStart])
            output.append(contentsOf: indentation)
            previous = lineStart
        }
        output.append(contentsOf: text.bytes[previous...])
    }

    /// Scalars as the JSON renderer prints them (integers without a fraction, doubles in
    /// their shortest form), `null` as nothing, arrays and objects as compact JSON.
    private mutating func append(_ value: JSONValue, escaped: Bool) {
        switch value {
        case .null: return
        case .bool(let b): output.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): output.append(contentsOf: String(i).utf8)
        case .double(let d): output.append(contentsOf: JSONRenderer.format(d).utf8)
        case .string(let s):
            if escaped { appendEscaped(s.utf8) } else { output.append(contentsOf: s.utf8) }
        case .array, .object:
            let json = JSONRenderer(style: .compact).render(value)
            if escaped { appendEscaped(json) } else { output.append(contentsOf: json) }
        }
    }

    private mutating func appendEscaped<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "&"): output.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): output.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): output.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): output.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): output.append(contentsOf: "&#39;".utf8)
            default: output.append(byte)
            }
        }
    }
}
