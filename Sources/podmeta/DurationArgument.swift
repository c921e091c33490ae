import ArgumentParser
import PodmetaCore

/// A flag value such as `60s`, `500ms` or `1m30s`.
struct DurationArgument: ExpressibleByArgument, Sendable {
    var duration: Duration

    init?(argument: String) {
        guard let duration = DurationText.parse(argument) else { return nil }
        self.duration = duration
    }

    init(_ duration: Duration) {
        self.duration = duration
    }

    var defaultValueDescription: String { DurationText.format(duration) }
}
