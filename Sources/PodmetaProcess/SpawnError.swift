import Glibc
import PodmetaSystem

/// Why a command could not be started. Its `exitCode` is what a shell would report:
/// 127 when the program (or its interpreter) does not exist, 126 when it exists but
/// cannot be run.
public struct SpawnError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// A bare name (no `/`) not found in any directory of the search path.
        case commandNotFound(searchPath: String)
        /// A path that does not exist.
        case fileNotFound
        /// The file exists but its `#!` interpreter (or dynamic loader) does not.
        case interpreterNotFound
        /// The file exists but cannot be executed; `reason` is the system's wording.
        case notExecutable(reason: String)
        /// An empty command, or an argument or environment entry containing a NUL byte.
        case invalidCommand(reason: String)
        /// A system call failed (pipe, posix_spawn with EAGAIN or ENOMEM, thread creation).
        case systemCall(name: String, errno: Int32)
    }

    /// The program as the user wrote it (argv[0]).
    public let command: String
    /// The path we tried to run, when one was resolved.
    public let path: String?
    public let kind: Kind

    public init(command: String, path: String? = nil, kind: Kind) {
        self.command = command
        self.path = path
        self.kind = kind
    }

    /// 127 (not found) or 126 (found but cannot be run).
    public var exitCode: Int32 {
        switch kind {
        case .commandNotFound, .fileNotFound, .interpreterNotFound: 127
        case .notExecutable, .invalidCommand, .systemCall: 126
        }
    }

    public var description: String {
        let target = path ?? command
        switch kind {
        case .commandNotFound(let searchPath):
            return "cannot run \"\(command)\": command not found in PATH \"\(searchPath)\""
        case .fileNotFound:
            return "cannot run \"\(target)\": no such file"
        case .interpreterNotFound:
            return "cannot run \"\(target)\": its interpreter (the #! line or the dynamic loader) does not exist"
        case .notExecutable(let reason):
            return "cannot run \"\(target)\": \(reason)"
        case .invalidCommand(let reason):
            return command.isEmpty ? "cannot run an empty command: \(reason)" : "cannot run \"\(command)\": \(reason)"
        case .systemCall(let name, let code):
            return "cannot run \"\(target)\": \(name) failed: \(ErrnoValue(code))"
        }
    }

    /// Maps the errno of a failed exec of an existing `path`.
    static func execFailure(command: String, path: String, errno code: Int32) -> SpawnError {
        switch code {
        case ENOENT, ENOTDIR:
            var info = stat()
            let exists = stat(path, &info) == 0
            return SpawnError(command: command, path: path, kind: exists ? .interpreterNotFound : .fileNotFound)
        case EACCES, EPERM:
            var info = stat()
            if stat(path, &info) == 0, info.fileKind == .directory {
                return SpawnError(command: command, path: path, kind: .notExecutable(reason: "it is a directory"))
            }
            return SpawnError(
                command: command, path: path, kind: .notExecutable(reason: "permission denied (is it executable?)"))
        case ENOEXEC:
            return SpawnError(
                command: command, path: path,
                kind: .notExecutable(reason: "not an executable format (a script needs a #! line)"))
        case EISDIR:
            return SpawnError(command: command, path: path, kind: .notExecutable(reason: "it is a directory"))
        case ETXTBSY, ELOOP, ENAMETOOLONG, E2BIG, ELIBBAD:
            return SpawnError(
                command: command, path: path, kind: .notExecutable(reason: ErrnoValue(code).description))
        default:
            return SpawnError(command: command, path: path, kind: .systemCall(name: "exec", errno: code))
        }
    }
}
