/// The formats the snapshot's variables can be written in (`podmeta env --format`, the
/// agent's `--env-file`).
public enum EnvironmentFormat: String, Sendable, CaseIterable {
    /// `export NAME='value'` lines for `.` / `source` in any POSIX shell.
    case sh
    /// Literal `NAME=value` lines for Docker `--env-file` and systemd `EnvironmentFile=`.
    case envFile = "env-file"
    /// One JSON object of names to values.
    case json

    /// The variables of `snapshot` in this format, and the fields left out or altered.
    ///
    /// A value the format cannot carry (a line break in `env-file`) leaves that one
    /// variable out, with an issue naming it; the rest of the file is still written, so one
    /// multi-line annotation from another tool cannot stop the file from being updated.
    public func render(_ snapshot: PodSnapshot, naming: EnvironmentNaming) throws(EnvironmentRenderError) -> (
        bytes: [UInt8], issues: [EnvironmentIssue]
    ) {
        let result = naming.variables(for: snapshot)
        switch self {
        case .sh: return (try ShellExportRenderer().render(result.variables), result.issues)
        case .envFile:
            var issues = result.issues
            var writable: [EnvironmentVariable] = []
            for variable in result.variables {
                if let problem = EnvFileRenderer.problem(with: variable) {
                    issues.append(.notWritable(problem))
                    continue
                }
                if EnvFileRenderer.systemdReadsDifferently(variable.value) {
                    issues.append(.systemdReadsDifferently(name: variable.name, source: variable.source))
                }
                writable.append(variable)
            }
            return (try EnvFileRenderer().render(writable), issues)
        case .json: return (EnvironmentJSONRenderer(style: .pretty).render(result.variables), result.issues)
        }
    }
}
