/// `--log-format` and the config file's `logFormat`: how each log line is written.
package enum LogFormatChoice: String, SettingChoice {
    /// `TIMESTAMP LEVEL message key=value ...`.
    case text
    /// One JSON object a line.
    case json
}
