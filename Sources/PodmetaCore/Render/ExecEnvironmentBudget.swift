/// Fits the snapshot's variables into what Linux execve(2) accepts, so a large annotation
/// from another tool leaves its variable out (with an issue) instead of failing the exec
/// with E2BIG.
///
/// The kernel refuses any single argument or environment string longer than
/// `MAX_ARG_STRLEN` (32 pages: 131,072 bytes with its terminating NUL), and the arguments
/// and environment together, strings and pointers, beyond a quarter of the stack limit
/// (`sysconf(_SC_ARG_MAX)`, capped at 6 MiB).
public struct ExecEnvironmentBudget: Sendable, Hashable {
    /// `MAX_ARG_STRLEN` on Linux with 4 KiB pages, the terminating NUL included.
    public static let maxStringBytes = 32 * 4096
    /// What execve charges besides the strings: the filename, alignment, the auxiliary
    /// vector's strings. Kept free so a variable that "just fits" does not fail the exec.
    public static let headroom = 8192

    /// Longest `NAME=value\0` accepted.
    public var maxStringBytes: Int
    /// Bytes for every argument and environment string, each with its NUL and its pointer.
    public var totalBytes: Int

    public init(maxStringBytes: Int = ExecEnvironmentBudget.maxStringBytes, totalBytes: Int) {
        self.maxStringBytes = maxStringBytes
        self.totalBytes = totalBytes
    }

    /// The budget for a process whose `sysconf(_SC_ARG_MAX)` is `argMax`.
    public init(argMax: Int) {
        self.init(totalBytes: max(0, min(argMax, 6 << 20) - ExecEnvironmentBudget.headroom))
    }

    /// What one string costs: its bytes, its NUL and its pointer.
    static func cost(_ string: String) -> Int { string.utf8.count + 1 + 8 }

    static func cost(name: String, value: String) -> Int { name.utf8.count + 1 + value.utf8.count + 1 + 8 }

    /// `inherited` with `variables` on top, leaving out each variable that is too long on
    /// its own, then the largest remaining ones (ties by name) until the whole fits with
    /// `arguments`. Inherited variables are never removed: only what podmeta adds.
    public func environment(
        inherited: [String: String], adding variables: [EnvironmentVariable], arguments: [String]
    ) -> (environment: [String: String], issues: [EnvironmentIssue]) {
        var issues: [EnvironmentIssue] = []
        var kept: [EnvironmentVariable] = []
        for variable in variables {
            let bytes = variable.name.utf8.count + 1 + variable.value.utf8.count
            if bytes + 1 > maxStringBytes {
                issues.append(
                    .tooLongForExec(
                        name: variable.name, source: variable.source, bytes: bytes, limit: maxStringBytes - 1))
            } else {
                kept.append(variable)
            }
        }
        var environment = inherited
        for variable in kept { environment[variable.name] = variable.value }
        var total = arguments.reduce(0) { $0 + Self.cost($1) }
        for (name, value) in environment { total += Self.cost(name: name, value: value) }
        if total > totalBytes {
            let largestFirst = kept.sorted {
                let (left, right) = (
                    Self.cost(name: $0.name, value: $0.value), Self.cost(name: $1.name, value: $1.value)
                )
                return left != right ? left > right : $0.name < $1.name
            }
            for variable in largestFirst where total > totalBytes {
                let cost = Self.cost(name: variable.name, value: variable.value)
                if let previous = inherited[variable.name] {
                    environment[variable.name] = previous
                    total += Self.cost(name: variable.name, value: previous) - cost
                } else {
                    environment[variable.name] = nil
                    total -= cost
                }
                issues.append(
                    .overExecBudget(name: variable.name, source: variable.source, bytes: cost, budget: totalBytes))
            }
        }
        return (environment, issues)
    }
}
