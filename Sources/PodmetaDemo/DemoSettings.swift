/// What `podmeta demo` was asked to do.
package struct DemoSettings: Sendable {
    /// `--volume`, `--output-dir`, `--socket`: nil means a temporary location.
    package var volume: String?
    package var outputDirectory: String?
    package var socket: String?
    /// Between two changes.
    package var interval: Duration
    /// Stop after this many changes; nil runs until SIGINT or SIGTERM.
    package var steps: Int?
    /// How long each consumer may take to show a change.
    package var timeout: Duration
    /// The agent's `--log-level`.
    package var agentLogLevel: String
    package var colors: Bool

    package init(
        volume: String?, outputDirectory: String?, socket: String?, interval: Duration, steps: Int?,
        timeout: Duration, agentLogLevel: String, colors: Bool
    ) {
        self.volume = volume
        self.outputDirectory = outputDirectory
        self.socket = socket
        self.interval = interval
        self.steps = steps
        self.timeout = timeout
        self.agentLogLevel = agentLogLevel
        self.colors = colors
    }

    /// The checks that need the file system: a socket path a Unix socket can hold, and a
    /// volume directory the demo may write (see ``DemoLayout/refusal(volume:)``). One
    /// sentence each.
    package func check() throws(DemoError) {
        if let socket, DemoFileSystem.absolute(socket).utf8.count > DemoLayout.maxSocketPathBytes {
            throw DemoError(
                "--socket \(socket) is longer than \(DemoLayout.maxSocketPathBytes) bytes, the limit of a Unix socket path."
            )
        }
        if let volume, let refusal = DemoLayout.refusal(volume: DemoFileSystem.absolute(volume)) {
            throw DemoError(refusal + ".")
        }
    }
}
