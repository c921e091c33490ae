import Logging

/// `--log-level`: the least severe level logged.
package enum LogLevelChoice: String, SettingChoice {
    case trace, debug, info, notice, warning, error, critical

    package var level: Logger.Level {
        switch self {
        case .trace: .trace
        case .debug: .debug
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error: .error
        case .critical: .critical
        }
    }
}
