import PodmetaCore

/// The query parameters the `/v1` routes understand.
struct QueryOptions: Sendable, Equatable {
    /// `revision=N`: answer once the revision exceeds N (a blocking query).
    var revision: UInt64?
    /// `wait=DURATION`, clamped to the server's maximum; the default when absent.
    var wait: Duration
    /// `raw` (or `raw=1`, `raw=true`): the bare value of an entry as text/plain.
    var raw: Bool

    init(target: RequestTarget, defaultWait: Duration, maxWait: Duration) throws(RequestError) {
        revision = nil
        wait = min(defaultWait, maxWait)
        raw = false
        if let value = target.parameter("revision") {
            guard let text = value, let number = UInt64(text) else {
                throw RequestError(.badRequest, "revision must be a non-negative integer, got \"\(value ?? "")\"")
            }
            revision = number
        }
        if let value = target.parameter("wait") {
            guard let text = value, let duration = DurationText.parse(text) else {
                throw RequestError(
                    .badRequest, "wait must be a duration such as 30s, 5m, 1m30s or 250ms, got \"\(value ?? "")\"")
            }
            wait = min(duration, maxWait)
        }
        if let value = target.parameter("raw") {
            switch value {
            case nil, "", "1", "true": raw = true
            case "0", "false": raw = false
            case let other?: throw RequestError(.badRequest, "raw must be 1, true, 0 or false, got \"\(other)\"")
            }
        }
    }
}
