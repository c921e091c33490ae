import ArgumentParser
import Logging

/// `--log-format` and `--log-level`, shared by the long-running commands.
struct LoggingOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Log line format: text (the default) or json.", valueName: "format"))
    var logFormat: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Least severe level logged: trace, debug, info (the default), notice, warning, error, critical.",
            valueName: "level"))
    var logLevel: String?

    func validate() throws {
        try LoggingOptions.check(format: logFormat, level: logLevel)
    }

    static func check(format: String?, level: String?) throws(CLIError) {
        if let format, StderrLogHandler.Format(rawValue: format) == nil {
            throw CLIError.usage("the log format must be text or json, not \"\(format)\"")
        }
        if let level, Logger.Level(rawValue: level) == nil {
            throw CLIError.usage(
                "the log level must be one of trace, debug, info, notice, warning, error, critical, not \"\(level)\"")
        }
    }

    /// Installs the stderr handler process-wide and returns the root logger; the flags win
    /// over `format` and `level` (from a config file).
    func bootstrap(format: String? = nil, level: String? = nil) -> Logger {
        let format = StderrLogHandler.Format(rawValue: logFormat ?? format ?? "text") ?? .text
        let level = Logger.Level(rawValue: logLevel ?? level ?? "info") ?? .info
        LoggingSystem.bootstrap { label in StderrLogHandler(label: label, format: format, level: level) }
        return Logger(label: "podmeta")
    }
}
