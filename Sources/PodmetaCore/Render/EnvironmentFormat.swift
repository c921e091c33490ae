/// The formats the snapshot's variables can be written in (`podmeta env --format`, the
/// agent's `--env-file`).
public enum EnvironmentFormat: String, Sendable, CaseIterable {
    /// `export NAME='value'` lines for `.` / `source` in any POSIX shell.
    case sh
    /// Literal `NAME=value` lines for Docker `--env-file` and systemd `EnvironmentFile=`.
    case envFile = "env-file"
    /// One JSON object of names to values.
    case json

    /// The variables of `snapshot` in this format, and the fields left out.
    public func render(_ snapshot: PodSnapshot, naming: EnvironmentNaming) throws(EnvironmentRenderError) -> (
        bytes: [UInt8], issues: [EnvironmentIssue]
    ) {
        let result = naming.variables(for: snapshot)
        switch self {
        case .sh: return (try ShellExportRenderer().render(result.variables), result.issues)
        case .envFile: return (try EnvFileRenderer().render(result.variables), result.issues)
        case .json: return (EnvironmentJSONRenderer(style: .pretty).render(result.variables), result.issues)
        }
    }
}
