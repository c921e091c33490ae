import PodmetaCore

/// Reads every source once and assembles a snapshot: the volume (one consistent
/// generation) and the process environment.
public struct SnapshotLoader: Sendable {
    /// The volume root, or nil to read the environment only.
    public var volume: String?
    public var assembler: SnapshotAssembler

    public init(volume: String?, assembler: SnapshotAssembler) {
        self.volume = volume
        self.assembler = assembler
    }

    /// The outcome of one load.
    public struct Load: Sendable {
        public var snapshot: PodSnapshot
        /// Skipped problems, to warn about.
        public var issues: [SourceIssue]
        /// The volume read, when a volume was configured.
        public var volumeRead: VolumeReader.Result?
    }

    /// Reads and assembles. Throws ``VolumeReadError`` when the volume cannot be read and
    /// ``SourceDataError`` when strict mode meets malformed data.
    public func load(variables: [String: String] = ProcessEnvironment.current()) throws -> Load {
        var read: VolumeReader.Result?
        var issues: [SourceIssue] = []
        if let volume {
            let result = try VolumeReader(root: volume).read(paths: assembler.items.map(\.path))
            read = result
            if result.looksLikeSubPathMount {
                issues.append(
                    SourceIssue(
                        source: volume,
                        message:
                            "no ..data link on a tmpfs directory: this looks like a downwardAPI volume mounted with subPath, which the kubelet never updates"
                    ))
            }
        }
        let assembly = try assembler.assemble(
            volumeFiles: read?.files ?? [:], volumeRoot: volume ?? "", variables: variables)
        issues.append(contentsOf: assembly.issues)
        return Load(snapshot: assembly.snapshot, issues: issues, volumeRead: read)
    }
}
