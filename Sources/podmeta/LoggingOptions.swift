import ArgumentParser
import Logging
import PodmetaSettings

/// `--log-format` and `--log-level`, shared by the long-running commands.
struct LoggingOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Log line format (default text).", valueName: "format"))
    var logFormat: LogFormatChoice?

    @Option(name: .long, help: ArgumentHelp("Least severe level logged (default info).", valueName: "level"))
    var logLevel: LogLevelChoice?

    /// Installs the stderr handler process-wide and returns the root logger; the flags win
    /// over `format` and `level` (from a config file).
    func bootstrap(format: LogFormatChoice? = nil, level: LogLevelChoice? = nil) -> Logger {
        let format = logFormat ?? format ?? .text
        let level = (logLevel ?? level ?? .info).level
        LoggingSystem.bootstrap { label in StderrLogHandler(label: label, format: format, level: level) }
        return Logger(label: "podmeta")
    }
}
