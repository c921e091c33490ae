import ArgumentParser
import PodmetaCore
import PodmetaIO
import PodmetaSettings

/// The flags every command that reads pod metadata shares.
struct SourceOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The downwardAPI volume root (env PODMETA_VOLUME; default /etc/podinfo).", valueName: "dir"))
    var volume: String?

    @Flag(name: .long, help: "Read the environment only, no volume.")
    var noVolume = false

    @Option(
        name: .customLong("item"),
        help: ArgumentHelp(
            "What a volume file holds, PATH=FIELD[@DIVISOR][:CONTAINER], repeatable; replaces the defaults.",
            discussion: """
                FIELD is a fieldPath (metadata.labels, metadata.annotations, metadata.name, \
                metadata.namespace, metadata.uid, metadata.labels['k'], metadata.annotations['k']) \
                or a resource (limits.cpu, requests.memory, limits.ephemeral-storage, \
                limits.hugepages-2Mi, ...). Defaults: labels, annotations, name, namespace, uid; \
                cpu_limit=limits.cpu@1m, cpu_request=requests.cpu@1m, mem_limit=limits.memory@1Mi, \
                mem_request=requests.memory@1Mi.
                """,
            valueName: "spec"),
        transform: { text throws(ItemSpecError) in try VolumeItem(parsing: text) })
    var items: [VolumeItem] = []

    @Option(
        name: .long,
        help: ArgumentHelp("Read every variable starting with this prefix (default POD_).", valueName: "prefix"))
    var envPrefix: String?

    @Option(
        name: .customLong("env-item"),
        help: ArgumentHelp(
            "Declare another variable, NAME=FIELD[@DIVISOR], repeatable (e.g. ZONE=metadata.labels['zone']).",
            valueName: "spec"),
        transform: { text throws(ItemSpecError) in try EnvironmentItem(parsing: text) })
    var envItems: [EnvironmentItem] = []

    @Flag(name: .long, help: "Treat malformed source data as an error (exit 65) instead of a warning.")
    var strict = false

    @Option(
        name: .customLong("include-annotation"),
        help: ArgumentHelp(
            "Keep only annotations whose key matches this glob, repeatable (* matches any run, / included).",
            discussion: """
                Filters apply to every output (the JSON file, env file, templates, socket, the exec \
                environment, hooks). With no --include-* every key is kept; --exclude-* wins over \
                --include-*. A change confined to filtered-out keys publishes no new revision.
                """,
            valueName: "glob"))
    var includeAnnotations: [String] = []

    @Option(
        name: .customLong("exclude-annotation"),
        help: ArgumentHelp(
            "Drop annotations whose key matches this glob, repeatable (e.g. 'kubectl.kubernetes.io/*').",
            valueName: "glob"))
    var excludeAnnotations: [String] = []

    @Option(
        name: .customLong("include-label"),
        help: ArgumentHelp("Keep only labels whose key matches this glob, repeatable.", valueName: "glob"))
    var includeLabels: [String] = []

    @Option(
        name: .customLong("exclude-label"),
        help: ArgumentHelp(
            "Drop labels whose key matches this glob, repeatable (e.g. pod-template-hash).", valueName: "glob"))
    var excludeLabels: [String] = []

    /// The flags' values, for PodmetaSettings to resolve.
    var flags: SourceFlags {
        var flags = SourceFlags()
        flags.volume = volume
        flags.noVolume = noVolume
        flags.items = items
        flags.envPrefix = envPrefix
        flags.envItems = envItems
        flags.strict = strict
        flags.includeAnnotations = includeAnnotations
        flags.excludeAnnotations = excludeAnnotations
        flags.includeLabels = includeLabels
        flags.excludeLabels = excludeLabels
        return flags
    }

    /// The volume these flags name (no config file), or nil for environment only.
    func volumePath(environment: [String: String]) -> String? { flags.volumePath(environment: environment) }

    /// The label and annotation filter of these flags (no config file).
    func filter() throws(MetadataFilterError) -> MetadataFilter { try flags.filter() }

    /// The assembler of these flags (no config file).
    func assembler() throws(SourceOptionsError) -> SnapshotAssembler { try flags.assembler() }

    func validate() throws {
        if noVolume && volume != nil { throw ValidationError("--volume and --no-volume exclude each other.") }
        do { _ = try filter() } catch { throw ValidationError(error.description) }
    }

    /// Loads one snapshot, printing skipped problems as warnings.
    func load() throws -> SnapshotLoader.Load {
        let environment = ProcessEnvironment.current()
        let loader = SnapshotLoader(volume: volumePath(environment: environment), assembler: try assembler())
        let load: SnapshotLoader.Load
        do {
            load = try loader.load(variables: environment)
        } catch let error as VolumeReadError where error.kind == .missing && volume == nil {
            throw CLIError.unreadable(
                "\(error); pass --volume DIR, set PODMETA_VOLUME, or use --no-volume to read the environment only")
        }
        for issue in load.issues { StandardError.warn(issue.description) }
        return load
    }
}
