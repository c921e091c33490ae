import PodmetaCore

/// `agent --env-file-format`: the formats a file of variables can have.
enum EnvFileFormatChoice: String, ArgumentChoice {
    /// `export NAME='value'` lines to source.
    case sh
    /// Literal `NAME=value` lines for Docker `--env-file` and systemd `EnvironmentFile=`.
    case envFile = "env-file"

    var format: EnvironmentFormat {
        switch self {
        case .sh: .sh
        case .envFile: .envFile
        }
    }
}
