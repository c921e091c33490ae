/// What a hook does when it runs.
public enum HookAction: Sendable {
    /// Starts a child process (argv, or `/bin/sh -c`), the payload on its stdin.
    case command(ProcessCommand)
    /// Hands the run to a performer (webhook, signal).
    case perform(any HookPerformer)
}
