/// A snapshot field that could not become an environment variable. Issues are data for the
/// caller to log or print; the variables that could be named are still produced.
public enum EnvironmentIssue: Sendable, Hashable, CustomStringConvertible {
    /// Two fields map to the same name; `kept` is the one whose key comes first in byte
    /// order, `dropped` is left out. Names are never merged or numbered: a variable name
    /// that depends on which other keys exist would break scripts silently.
    case collision(name: String, kept: String, dropped: String)
    /// The value contains a NUL byte, which C environment strings cannot hold.
    case containsNUL(name: String, source: String)
    /// The key has no ASCII letter or digit, so nothing is left to name a variable after.
    case noUsableCharacters(source: String)
    /// A resource amount does not fit the integer the variable holds.
    case outOfRange(name: String, source: String)
    /// The value cannot be written in the chosen format (a line break in `env-file`).
    case notWritable(EnvironmentRenderError)
    /// Written literally, as Docker reads it; systemd's `EnvironmentFile=` would strip its
    /// quotes, surrounding blanks or backslashes. Not left out: a warning only.
    case systemdReadsDifferently(name: String, source: String)
    /// `NAME=value` is longer than the kernel accepts for one environment string
    /// (`MAX_ARG_STRLEN`), so execve would fail with E2BIG.
    case tooLongForExec(name: String, source: String, bytes: Int, limit: Int)
    /// The variables together exceed what execve accepts for the whole environment; the
    /// largest are left out until the rest fits.
    case overExecBudget(name: String, source: String, bytes: Int, budget: Int)

    /// The field the issue is about.
    public var source: String {
        switch self {
        case .collision(_, _, let dropped): dropped
        case .containsNUL(_, let source), .noUsableCharacters(let source), .outOfRange(_, let source): source
        case .notWritable(let error): error.source
        case .systemdReadsDifferently(_, let source), .tooLongForExec(_, let source, _, _),
            .overExecBudget(_, let source, _, _):
            source
        }
    }

    public var description: String {
        switch self {
        case .collision(let name, let kept, let dropped):
            "\(dropped) is left out of the environment because \(kept) also maps to \(name) and comes first in byte order"
        case .containsNUL(let name, let source):
            "\(name) (\(source)) is left out of the environment because its value contains a NUL byte"
        case .noUsableCharacters(let source):
            "\(source) is left out of the environment because its key has no ASCII letter or digit to name a variable after"
        case .outOfRange(let name, let source):
            "\(name) (\(source)) is left out of the environment because the amount does not fit in a 64-bit integer"
        case .notWritable(let error):
            "\(error.name) (\(error.source)) is left out of the \(error.format) output because \(error.reason)"
        case .systemdReadsDifferently(let name, let source):
            "\(name) (\(source)) is written as is, which Docker reads unchanged but systemd's EnvironmentFile= would alter (it strips quotes, surrounding blanks and backslashes)"
        case .tooLongForExec(let name, let source, let bytes, let limit):
            "\(name) (\(source)) is left out of the command's environment because NAME=value takes \(bytes) bytes and the kernel accepts at most \(limit) per variable (exclude it with --exclude-annotation or --exclude-label)"
        case .overExecBudget(let name, let source, let bytes, let budget):
            "\(name) (\(source), \(bytes) bytes) is left out of the command's environment because the environment and arguments would exceed the \(budget) bytes execve accepts (exclude large keys with --exclude-annotation)"
        }
    }
}
