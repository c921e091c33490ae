import Glibc
import Logging
import PodmetaCore
import PodmetaSettings
import PodmetaSystem

/// A swift-log handler writing one line per event to stderr, as text or as JSON, with the
/// fields an operator greps for (revision, source, path, error) as key=value pairs.
struct StderrLogHandler: LogHandler {
    var label: String
    var format: LogFormatChoice
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    init(label: String, format: LogFormatChoice, level: Logger.Level) {
        self.label = label
        self.format = format
        self.logLevel = level
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let line: String
        switch format {
        case .text:
            var text = "\(StderrLogHandler.timestamp()) \(event.level) \(event.message)"
            for key in merged.keys.sorted() {
                text += " \(key)=\(StderrLogHandler.quoteIfNeeded("\(merged[key]!)"))"
            }
            line = text
        case .json:
            var members: [String: JSONValue] = [
                "ts": .string(StderrLogHandler.timestamp()),
                "level": .string(event.level.rawValue),
                "msg": .string("\(event.message)"),
                "logger": .string(label),
            ]
            for (key, value) in merged { members[key] = .string("\(value)") }
            line = JSONRenderer(style: .compact).string(.object(members))
        }
        StandardOutput.writeAll(fd: 2, Array((line + "\n").utf8))
    }

    static func quoteIfNeeded(_ value: String) -> String {
        if !value.isEmpty, !value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }) {
            return value
        }
        return JSONRenderer(style: .compact).string(.string(value))
    }

    /// RFC 3339 UTC with milliseconds.
    static func timestamp() -> String {
        UTCTime.now().rfc3339Milliseconds
    }
}
