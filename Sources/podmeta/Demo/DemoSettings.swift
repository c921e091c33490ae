/// What `podmeta demo` was asked to do.
struct DemoSettings: Sendable {
    /// `--volume`, `--output-dir`, `--socket`: nil means a temporary location.
    var volume: String?
    var outputDirectory: String?
    var socket: String?
    /// Between two changes.
    var interval: Duration
    /// Stop after this many changes; nil runs until SIGINT or SIGTERM.
    var steps: Int?
    /// How long each consumer may take to show a change.
    var timeout: Duration
    /// The agent's `--log-level`.
    var agentLogLevel: String
    var colors: Bool
}
