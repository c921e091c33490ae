/// What to run: an argument vector, or a command line for `/bin/sh -c`.
public enum ProcessCommand: Sendable, Hashable, CustomStringConvertible {
    /// Run `argv[0]` (looked up in PATH when it has no `/`) with these arguments.
    case argv([String])
    /// Run `/bin/sh -c COMMAND`.
    case shell(String)

    /// The argument vector actually executed.
    public var arguments: [String] {
        switch self {
        case .argv(let arguments): arguments
        case .shell(let command): ["/bin/sh", "-c", command]
        }
    }

    /// The command as a user would recognize it in a log line.
    public var description: String {
        switch self {
        case .shell(let command): return command
        case .argv(let arguments):
            return arguments.map { argument in
                let plain =
                    !argument.isEmpty && argument.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:@%+,".contains($0) }
                return plain ? argument : "'" + argument.replacing("'", with: "'\\''") + "'"
            }.joined(separator: " ")
        }
    }
}
