import PodmetaAgent
import PodmetaCore
import PodmetaIO

// The exit status of each library error that a command lets through unchanged. The
// libraries know nothing of exit statuses; the command line's errors are decided here, once,
// beside ``CommandExitStatus``.

extension SourceDataError: CommandLineError {
    /// Malformed source data under `--strict`.
    package var exitStatus: CommandExitStatus { .dataError }
}

extension ItemSpecError: CommandLineError {
    /// An `--item` or `--env-item` flag (or the config file's `items`) that does not parse.
    package var exitStatus: CommandExitStatus { .usage }
}

extension VolumeReadError: CommandLineError {
    /// The volume cannot be read.
    package var exitStatus: CommandExitStatus { .cannotRead }
}

extension QuantityError: CommandLineError {
    /// A quantity that does not parse.
    package var exitStatus: CommandExitStatus { .dataError }
}

extension EnvironmentRenderError: CommandLineError {
    /// A value the chosen variable format cannot carry.
    package var exitStatus: CommandExitStatus { .dataError }
}

extension ConfigFileError: CommandLineError {
    /// The config file is not valid JSON or has unknown or mistyped keys.
    package var exitStatus: CommandExitStatus { .dataError }
}

extension AgentError: CommandLineError {
    /// `--once` could not read every source or write every output.
    package var exitStatus: CommandExitStatus { .failure }
}

extension TemplateOutputError: CommandLineError {
    /// A template that cannot be read is a missing input; one that does not parse, bad data.
    package var exitStatus: CommandExitStatus { kind == .unreadable ? .cannotRead : .dataError }
}
