import PodmetaCore
import PodmetaIO

/// The values of the source flags every command that reads pod metadata shares (the
/// executable's `SourceOptions` declares them), and what they resolve to together with
/// the config file and the environment: flags first, then the file, then the defaults.
package struct SourceFlags: Sendable {
    package var volume: String?
    package var noVolume = false
    package var items: [VolumeItem] = []
    package var envPrefix: String?
    package var envItems: [EnvironmentItem] = []
    package var strict = false
    package var includeAnnotations: [String] = []
    package var excludeAnnotations: [String] = []
    package var includeLabels: [String] = []
    package var excludeLabels: [String] = []

    package init() {}

    /// The volume to read, or nil for environment only: `--volume`, the file's `volume`,
    /// `PODMETA_VOLUME` (when not empty), `/etc/podinfo`.
    package func volumePath(environment: [String: String], file: AgentConfigFile? = nil) -> String? {
        if noVolume { return nil }
        if let volume = volume ?? file?.volume { return volume }
        if let fromEnv = environment["PODMETA_VOLUME"], !fromEnv.isEmpty { return fromEnv }
        return "/etc/podinfo"
    }

    /// The label and annotation filter: each list from the flags, or from `file` when the
    /// flags give none.
    package func filter(file: AgentConfigFile? = nil) throws(MetadataFilterError) -> MetadataFilter {
        func pick(_ flags: [String], _ fromFile: [String]?) -> [String] { flags.isEmpty ? (fromFile ?? []) : flags }
        return try MetadataFilter(
            includeLabels: pick(includeLabels, file?.includeLabels),
            excludeLabels: pick(excludeLabels, file?.excludeLabels),
            includeAnnotations: pick(includeAnnotations, file?.includeAnnotations),
            excludeAnnotations: pick(excludeAnnotations, file?.excludeAnnotations))
    }

    /// The assembler these flags describe; `file` supplies what the flags leave unsaid.
    package func assembler(file: AgentConfigFile? = nil) throws(SourceOptionsError) -> SnapshotAssembler {
        var volumeItems = items
        var declared = envItems
        do {
            if volumeItems.isEmpty {
                for spec in file?.items ?? [] { volumeItems.append(try VolumeItem(parsing: spec)) }
            }
            if declared.isEmpty {
                for spec in file?.envItems ?? [] { declared.append(try EnvironmentItem(parsing: spec)) }
            }
        } catch {
            throw SourceOptionsError(description: error.description)
        }
        let filter: MetadataFilter
        do {
            filter = try self.filter(file: file)
        } catch {
            throw SourceOptionsError(description: error.description)
        }
        return SnapshotAssembler(
            items: volumeItems.isEmpty ? VolumeItem.defaults : volumeItems,
            environment: EnvironmentSpec(prefix: envPrefix ?? file?.envPrefix ?? "POD_", items: declared),
            strict: strict || (file?.strict ?? false), filter: filter)
    }
}

/// An item spec or a filter pattern given to the source flags cannot be used.
package struct SourceOptionsError: CommandLineError {
    package var description: String
    package var exitStatus: CommandExitStatus { .usage }
}
