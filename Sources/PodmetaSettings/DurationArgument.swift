import PodmetaCore

/// A duration flag value, in the one syntax of every flag, config-file setting and `?wait=`:
/// `500ms`, `2s`, `1m30s`, `1h` (a bare `0` is zero; any other bare number is refused, its
/// unit would be a guess).
///
/// Declare options with `transform: DurationArgument.parse` so that a bad value is reported
/// with the remedy rather than as merely invalid.
package struct DurationArgument: Sendable, CustomStringConvertible {
    package var duration: Duration

    /// No podmeta duration needs more; the bound also keeps every conversion to
    /// milliseconds or `timeval` far from overflow.
    package static let maximum: Duration = .seconds(24 * 3600)

    package init(_ duration: Duration) {
        self.duration = duration
    }

    /// Parses a flag value, or explains what is wrong with it.
    @Sendable package static func parse(_ text: String) throws(DurationArgumentError) -> DurationArgument {
        guard let duration = DurationText.parse(text) else {
            if !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) {
                throw DurationArgumentError("a duration needs a unit: write \(text)s, \(text)ms or \(text)m")
            }
            throw DurationArgumentError("write a duration such as 500ms, 2s, 1m30s or 1h")
        }
        guard duration <= maximum else { throw DurationArgumentError("a duration can be at most 24h") }
        return DurationArgument(duration)
    }

    package var description: String { DurationText.format(duration) }
}

/// Why a duration flag value was refused; argument-parser prints it after the value.
package struct DurationArgumentError: Error, CustomStringConvertible {
    package var description: String

    package init(_ description: String) {
        self.description = description
    }
}
