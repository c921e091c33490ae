import PodmetaCore
import PodmetaProcess

/// `--wait MIN[:MAX]`: how long changes must stop before a hook runs, and how long it may
/// be put off at most (consul-template's `wait`), in the one duration syntax.
package struct QuiescenceArgument: Sendable {
    package var quiescence: HookQuiescence

    private init(quiescence: HookQuiescence) {
        self.quiescence = quiescence
    }

    @Sendable package static func parse(_ text: String) throws(HookQuiescence.ParseError) -> QuiescenceArgument {
        QuiescenceArgument(quiescence: try HookQuiescence(parsing: text, parseDuration: DurationText.parse))
    }
}
