import ArgumentParser
import Logging

/// `--log-format` and `--log-level`, shared by the long-running commands.
struct LoggingOptions: ParsableArguments {
    @Option(name: .long, help: "Log line format: text or json.")
    var logFormat: String = "text"

    @Option(name: .long, help: "Least severe level logged: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard StderrLogHandler.Format(rawValue: logFormat) != nil else {
            throw ValidationError("--log-format must be text or json, not \"\(logFormat)\".")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical.")
        }
    }

    /// Installs the stderr handler process-wide and returns the root logger.
    func bootstrap() -> Logger {
        let format = StderrLogHandler.Format(rawValue: logFormat) ?? .text
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in StderrLogHandler(label: label, format: format, level: level) }
        return Logger(label: "podmeta")
    }
}
