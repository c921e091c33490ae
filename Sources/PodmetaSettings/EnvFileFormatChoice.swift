import PodmetaCore

/// `agent --env-file-format`: the formats a file of variables can have.
package enum EnvFileFormatChoice: String, SettingChoice {
    /// `export NAME='value'` lines to source.
    case sh
    /// Literal `NAME=value` lines for Docker `--env-file` and systemd `EnvironmentFile=`.
    case envFile = "env-file"

    package var format: EnvironmentFormat {
        switch self {
        case .sh: .sh
        case .envFile: .envFile
        }
    }
}
