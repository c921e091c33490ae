/// The request-target of a request line, split into its percent-decoded path and its
/// query parameters.
struct RequestTarget: Sendable, Equatable {
    /// The percent-decoded path (`/v1/labels/app.kubernetes.io/name`).
    var path: String
    /// Query parameters in order; a parameter without `=` has a nil value (`?raw`).
    var query: [(name: String, value: String?)]

    static func == (a: RequestTarget, b: RequestTarget) -> Bool {
        a.path == b.path && a.query.elementsEqual(b.query) { $0.name == $1.name && $0.value == $1.value }
    }

    init(uri: String) throws(RequestError) {
        var rest = Substring(uri)
        // absolute-form (`http://localhost/v1/pod`), as proxies and some clients send it.
        if let schemeEnd = rest.firstRange(of: "://"), rest[..<schemeEnd.lowerBound].allSatisfy(\.isLetter) {
            rest = rest[schemeEnd.upperBound...]
            rest = rest.firstIndex(of: "/").map { rest[$0...] } ?? "/"
        }
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let rawPath: Substring
        let rawQuery: Substring?
        if let question = rest.firstIndex(of: "?") {
            rawPath = rest[..<question]
            rawQuery = rest[rest.index(after: question)...]
        } else {
            rawPath = rest
            rawQuery = nil
        }
        guard rawPath.hasPrefix("/") else { throw RequestError(.badRequest, "the request target must start with /") }
        path = try RequestTarget.percentDecoded(rawPath, what: "path")
        query = []
        for pair in rawQuery?.split(separator: "&") ?? [] {
            if let eq = pair.firstIndex(of: "=") {
                let name = try RequestTarget.percentDecoded(pair[..<eq], what: "query parameter")
                let value = try RequestTarget.percentDecoded(pair[pair.index(after: eq)...], what: "query parameter")
                query.append((name, value))
            } else {
                query.append((try RequestTarget.percentDecoded(pair, what: "query parameter"), nil))
            }
        }
    }

    /// The last value of parameter `name`: nil when absent, `.some(nil)` when present without `=`.
    func parameter(_ name: String) -> String?? {
        guard let item = query.last(where: { $0.name == name }) else { return nil }
        return .some(item.value)
    }

    /// Decodes `%XX` escapes; the result must be valid UTF-8. `+` stays `+` (paths are not forms).
    static func percentDecoded(_ text: Substring, what: String) throws(RequestError) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw RequestError(.badRequest, "invalid percent-encoding in the \(what)")
            }
            bytes.append(high << 4 | low)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw RequestError(.badRequest, "the percent-decoded \(what) is not valid UTF-8")
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
