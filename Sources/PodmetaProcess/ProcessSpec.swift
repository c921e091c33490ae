/// Everything needed to start one child process.
public struct ProcessSpec: Sendable, Hashable {
    /// The child's standard input.
    public enum Input: Sendable, Hashable {
        /// Share ours.
        case inherit
        /// `/dev/null`: reads see end-of-file at once.
        case null
        /// A pipe fed with these bytes, then closed. Written from a helper thread without
        /// blocking anyone; a child that never reads or exits early is fine (EPIPE is ignored).
        case bytes([UInt8])
    }

    /// Where the child's standard output or error goes.
    public enum Output: Sendable, Hashable {
        /// Share ours.
        case inherit
        /// `/dev/null`.
        case discard
        /// A pipe read into memory, keeping at most `limit` bytes (the rest is read and
        /// dropped so the child never blocks). See `ChildProcess.output()`.
        case capture(limit: Int)
        /// A pipe read line by line into `sink` (see ``OutputLineSink``); nothing is kept.
        case lines(OutputLineSink)

        /// Capture up to 1 MiB.
        public static var capture: Output { .capture(limit: 1 << 20) }
    }

    public var command: ProcessCommand
    /// The child's complete environment: nothing is inherited implicitly.
    public var environment: [String: String]
    public var standardInput: Input
    public var standardOutput: Output
    public var standardError: Output
    /// Put the child in a new process group (POSIX_SPAWN_SETPGROUP) so that signals and
    /// timeouts can reach everything it starts.
    public var newProcessGroup: Bool

    public init(
        command: ProcessCommand,
        environment: [String: String],
        standardInput: Input = .null,
        standardOutput: Output = .inherit,
        standardError: Output = .inherit,
        newProcessGroup: Bool = true
    ) {
        self.command = command
        self.environment = environment
        self.standardInput = standardInput
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.newProcessGroup = newProcessGroup
    }
}
