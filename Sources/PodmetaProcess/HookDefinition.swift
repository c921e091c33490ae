/// One hook of the contract: a named command (or webhook, or signal) run after published
/// changes.
public struct HookDefinition: Sendable {
    /// Names the hook in logs and metrics (`on-change` for `--on-change`).
    public var name: String
    public var action: HookAction
    /// Past this the hook's process group gets SIGTERM, then SIGKILL after `killGrace`.
    public var timeout: Duration
    public var killGrace: Duration
    /// Optional consul-template-style wait before a run; nil runs as soon as possible.
    public var quiescence: HookQuiescence?
    /// Each run waits a uniformly random time in `0...splay` first (after the quiescence
    /// wait), so that the replicas of a Deployment relabelled at once do not all reload at
    /// once. Changes arriving meanwhile join that run.
    public var splay: Duration = .zero
    /// Where the hook's output goes. `.inherit` logs each line the hook writes as a record
    /// of the agent's log (fields `hook`, `stream`, `line`), never as raw bytes on its stderr.
    /// A captured stderr is quoted (its last KiB) in the log line of a failed run.
    public var standardOutput: ProcessSpec.Output
    public var standardError: ProcessSpec.Output

    public init(
        name: String,
        command: ProcessCommand,
        timeout: Duration = .seconds(30),
        killGrace: Duration = .seconds(5),
        quiescence: HookQuiescence? = nil,
        standardOutput: ProcessSpec.Output = .inherit,
        standardError: ProcessSpec.Output = .inherit
    ) {
        self.init(
            name: name, action: .command(command), timeout: timeout, killGrace: killGrace, quiescence: quiescence,
            standardOutput: standardOutput, standardError: standardError)
    }

    public init(
        name: String,
        action: HookAction,
        timeout: Duration = .seconds(30),
        killGrace: Duration = .seconds(5),
        quiescence: HookQuiescence? = nil,
        standardOutput: ProcessSpec.Output = .inherit,
        standardError: ProcessSpec.Output = .inherit
    ) {
        self.name = name
        self.action = action
        self.timeout = timeout
        self.killGrace = killGrace
        self.quiescence = quiescence
        self.standardOutput = standardOutput
        self.standardError = standardError
    }
}
