import Logging

/// One event a ``CapturingLogHandler`` kept.
package struct CapturedLogEntry: Sendable {
    package var level: Logger.Level
    package var message: String
    package var metadata: [String: String]
}

/// A swift-log handler that keeps every event, to check what an operator would see.
package struct CapturingLogHandler: LogHandler {
    package let recorder: Recorder<CapturedLogEntry>
    package var metadata: Logger.Metadata = [:]
    package var logLevel: Logger.Level = .trace

    package init(recorder: Recorder<CapturedLogEntry>) {
        self.recorder = recorder
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        recorder.record(
            CapturedLogEntry(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" }))
    }

    /// A logger and what it captures.
    package static func logger(label: String = "test") -> (Logger, Recorder<CapturedLogEntry>) {
        let recorder = Recorder<CapturedLogEntry>()
        return (Logger(label: label) { _ in CapturingLogHandler(recorder: recorder) }, recorder)
    }
}

extension Recorder where Value == CapturedLogEntry {
    /// Whether an event of `level` whose message contains `fragment` was logged.
    package func contains(_ level: Logger.Level, _ fragment: String) -> Bool {
        all.contains { $0.level == level && $0.message.contains(fragment) }
    }

    /// How many events of `level` were logged.
    package func count(_ level: Logger.Level) -> Int { all.filter { $0.level == level }.count }
}
