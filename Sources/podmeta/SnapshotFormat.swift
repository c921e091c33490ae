import ArgumentParser
import PodmetaCore

/// Formats `podmeta snapshot` can print.
enum SnapshotFormat: String, ExpressibleByArgument, CaseIterable {
    /// The snapshot document, as the agent's JSON file.
    case json
    /// The document as YAML (every string double-quoted, so any YAML parser reads it back
    /// exactly).
    case yaml
    /// Java `.properties` (`pod.name=...`, `labels.app=...`), ASCII with `\u` escapes.
    case properties
    /// `export POD_...='...'` lines, as `podmeta env --format sh`.
    case sh
    /// `POD_...=...` lines, as `podmeta env --format env-file`.
    case envFile = "env-file"

    func render(_ snapshot: PodSnapshot, revision: UInt64, naming: EnvironmentNaming) throws -> [UInt8] {
        switch self {
        case .json: return JSONRenderer(style: .pretty).render(snapshot.document(revision: revision))
        case .yaml: return YAMLRenderer().render(snapshot, revision: revision)
        case .properties: return PropertiesRenderer().render(snapshot, revision: revision)
        case .sh, .envFile:
            let format: EnvironmentFormat = self == .sh ? .sh : .envFile
            let (bytes, issues) = try format.render(snapshot, naming: naming)
            for issue in issues { StandardError.warn(issue.description) }
            return bytes
        }
    }
}
