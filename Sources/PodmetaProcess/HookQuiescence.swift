/// consul-template's quiescence (`wait { min, max }`, `wait = "MIN[:MAX]"`) for a hook.
///
/// After a trigger the hook waits for `minimum` of calm; every new trigger restarts that
/// wait; but it never waits longer than `maximum` after the first trigger it is holding.
/// Without an explicit maximum it is 4 × minimum, as in consul-template.
public struct HookQuiescence: Sendable, Hashable, CustomStringConvertible {
    public let minimum: Duration
    public let maximum: Duration

    /// Why a `MIN[:MAX]` text was refused.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public let text: String
        public let reason: String
        public var description: String { "wait \"\(text)\": \(reason)" }

        public init(text: String, reason: String) {
            self.text = text
            self.reason = reason
        }
    }

    /// - Precondition: `0 <= minimum <= maximum`.
    public init(minimum: Duration, maximum: Duration? = nil) {
        let maximum = maximum ?? minimum * 4
        precondition(minimum >= .zero && maximum >= minimum, "quiescence needs 0 <= minimum <= maximum")
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Parses `MIN` or `MIN:MAX`, each part read by `parseDuration` (the CLI passes
    /// `DurationText.parse`, so `5s:30s` and `500ms` work as in consul-template).
    public init(parsing text: String, parseDuration: (String) -> Duration?) throws(ParseError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2 else {
            throw ParseError(text: text, reason: "write MIN or MIN:MAX, such as 2s or 2s:10s")
        }
        guard let minimum = parseDuration(parts[0]) else {
            throw ParseError(
                text: text, reason: "\"\(parts[0])\" is not a duration: write MIN or MIN:MAX, such as 2s or 2s:10s")
        }
        guard minimum >= .zero else { throw ParseError(text: text, reason: "the minimum is negative") }
        var maximum: Duration?
        if parts.count == 2 {
            guard let parsed = parseDuration(parts[1]) else {
                throw ParseError(
                    text: text, reason: "\"\(parts[1])\" is not a duration: write MIN:MAX, such as 2s:10s")
            }
            guard parsed >= minimum else {
                throw ParseError(
                    text: text,
                    reason: "the maximum \(parts[1]) is shorter than the minimum \(parts[0]): give a MAX at least MIN")
            }
            maximum = parsed
        }
        self.init(minimum: minimum, maximum: maximum)
    }

    /// When a held trigger may run: `minimum` after the latest trigger, but no later than
    /// `maximum` after the first.
    func deadline<Instant: InstantProtocol>(firstTrigger: Instant, lastTrigger: Instant) -> Instant
    where Instant.Duration == Duration {
        min(lastTrigger.advanced(by: minimum), firstTrigger.advanced(by: maximum))
    }

    public var description: String { "min \(minimum), max \(maximum)" }
}
