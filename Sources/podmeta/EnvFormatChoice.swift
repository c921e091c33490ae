import PodmetaCore

/// `env --format`: how `podmeta env` prints the variables.
enum EnvFormatChoice: String, ArgumentChoice {
    /// `export NAME='value'` lines to source or eval.
    case sh
    /// Literal `NAME=value` lines for Docker `--env-file` and systemd `EnvironmentFile=`.
    case envFile = "env-file"
    /// One JSON object of names to values.
    case json

    var format: EnvironmentFormat {
        switch self {
        case .sh: .sh
        case .envFile: .envFile
        case .json: .json
        }
    }
}
