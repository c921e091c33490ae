import Glibc

/// execvp-style lookup of a program, done by us so failures can say exactly what is wrong
/// (not found anywhere in PATH: 127; found but not executable: 126).
enum ExecutableResolver {
    /// What execvp uses when PATH is unset (glibc's confstr(_CS_PATH) plus the local dirs).
    static let defaultSearchPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// The search path for a child: its own PATH if the caller gave one, else ours, else the default.
    static func searchPath(for environment: [String: String]) -> String {
        if let path = environment["PATH"] { return path }
        if let ours = getenv("PATH") { return String(cString: ours) }
        return defaultSearchPath
    }

    /// The path to execute for `name`: names containing `/` are used as they are (the exec
    /// reports what is wrong); bare names are searched in `searchPath` like execvp does,
    /// an empty entry meaning the current directory.
    static func resolve(_ name: String, searchPath: String) -> Result<String, SpawnError> {
        if name.isEmpty {
            return .failure(SpawnError(command: name, kind: .invalidCommand(reason: "the program name is empty")))
        }
        if name.contains("/") { return .success(name) }
        var denied: String?
        for directory in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + name
            var info = stat()
            guard stat(candidate, &info) == 0 else { continue }
            if info.fileKind == .regular, access(candidate, X_OK) == 0 {
                return .success(candidate)
            }
            // execvp remembers EACCES and keeps looking; so do we.
            if denied == nil { denied = candidate }
        }
        if let denied {
            return .failure(SpawnError.execFailure(command: name, path: denied, errno: EACCES))
        }
        return .failure(SpawnError(command: name, kind: .commandNotFound(searchPath: searchPath)))
    }
}
