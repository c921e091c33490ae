/// The exit statuses of every podmeta command (docs/cli.md's "Exit status" table lists the same).
///
/// 65 and 66 are sysexits' EX_DATAERR and EX_NOINPUT; usage errors are 2, as for most Unix
/// tools, instead of argument-parser's EX_USAGE (64). `exec` exits with its child's status.
package enum CommandExitStatus: Int32, Sendable, CaseIterable {
    /// It worked.
    case success = 0
    /// A runtime failure: a socket that cannot be bound, a write that failed in `--once`,
    /// an agent that is not healthy, a demo consumer that did not see a change.
    case failure = 1
    /// The command line (or a setting of the config file) asks for something invalid: an
    /// unknown flag, a bad value, two flags that exclude each other, conflicting paths.
    case usage = 2
    /// `get`: the key is absent.
    case notFound = 3
    /// An input holds malformed data: a source line under `--strict`, a quantity, a
    /// template or config file that does not parse, a snapshot document that is not one.
    case dataError = 65
    /// An input cannot be read: the volume, the config file, a template, the agent's
    /// socket or JSON file (a socket that refuses this user included).
    case cannotRead = 66
}
