/// The socket's request path: the request-target of the request line (percent-decoding,
/// query parameters), the route table, and the `/v1` query options (`revision`, `wait`, `raw`).
enum FuzzHTTPRequest {
    static func run(_ bytes: [UInt8]) {
        let uri = String(decoding: bytes, as: UTF8.self)
        durations(uri)
        guard let target = try? RequestTarget(uri: uri) else { return }
        _ = Route(path: target.path)?.metricLabel
        if let options = try? QueryOptions(target: target, defaultWait: .seconds(300), maxWait: .seconds(600)) {
            fuzzCheck(options.wait <= .seconds(600), "wait above the maximum for \(uri.debugDescription)")
        }
        if case .some(.some(let wait)) = target.parameter("wait") { durations(wait) }

        // Percent-encoding every byte of the decoded path gives a target with the same path.
        var encoded = "/"
        for byte in target.path.utf8.dropFirst() {
            encoded += "%" + String(byte >> 4, radix: 16) + String(byte & 0xF, radix: 16)
        }
        let reparsed = try? RequestTarget(uri: encoded)
        fuzzCheck(reparsed?.path == target.path, "percent-encoded path \(encoded) decodes differently")
    }

    /// The duration syntax of `?wait=` and the flags: what parses formats back to itself.
    static func durations(_ text: String) {
        guard let duration = DurationText.parse(text) else { return }
        let formatted = DurationText.format(duration)
        fuzzCheck(
            DurationText.parse(formatted) == duration, "duration \(text.debugDescription) formats as \(formatted)")
    }
}
