import PodmetaCore
import PodmetaProcess

/// `--wait MIN[:MAX]`: how long changes must stop before a hook runs, and how long it may
/// be put off at most (consul-template's `wait`), in the one duration syntax.
package struct QuiescenceArgument: Sendable {
    package var quiescence: HookQuiescence

    private init(quiescence: HookQuiescence) {
        self.quiescence = quiescence
    }

    /// Each written part is bounded like every other duration (``DurationArgument/maximum``);
    /// a MAX left out is 4×MIN, at most 96h, still far from any conversion's overflow.
    @Sendable package static func parse(_ text: String) throws(HookQuiescence.ParseError) -> QuiescenceArgument {
        let quiescence = try HookQuiescence(parsing: text, parseDuration: DurationText.parse)
        let written = text.contains(":") ? quiescence.maximum : quiescence.minimum
        guard written <= DurationArgument.maximum else {
            throw HookQuiescence.ParseError(text: text, reason: "a duration can be at most 24h")
        }
        return QuiescenceArgument(quiescence: quiescence)
    }
}
