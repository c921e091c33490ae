/// Turns what the sources hold (volume file bytes, environment variables) into one
/// ``PodSnapshot``. Pure: the caller reads the files and the environment.
///
/// Merging follows the contract: a value present in both the volume and the environment
/// comes from the volume, which is live. When the volume carries a whole label (annotation)
/// map, that map is the authority for the section, so a label removed since the container
/// started does not linger because an env var still names it.
public struct SnapshotAssembler: Sendable {
    /// The volume's items.
    public var items: [VolumeItem]
    /// The environment's variables.
    public var environment: EnvironmentSpec
    /// Malformed data is fatal instead of skipped with a warning.
    public var strict: Bool
    /// The labels and annotations kept, applied to the merged snapshot.
    public var filter: MetadataFilter

    public init(
        items: [VolumeItem] = VolumeItem.defaults, environment: EnvironmentSpec = .init(), strict: Bool = false,
        filter: MetadataFilter = .none
    ) {
        self.items = items
        self.environment = environment
        self.strict = strict
        self.filter = filter
    }

    /// The snapshot and the problems that were skipped on the way.
    public struct Assembly: Sendable {
        public var snapshot: PodSnapshot
        public var issues: [SourceIssue]
    }

    /// Builds the snapshot.
    ///
    /// - Parameters:
    ///   - volumeFiles: the content of every item found, by item path; items that are absent
    ///     are simply not in the dictionary.
    ///   - volumeRoot: the volume directory, used to name sources in warnings and errors.
    ///   - variables: the process environment.
    public func assemble(
        volumeFiles: [String: [UInt8]], volumeRoot: String = "", variables: [String: String]
    ) throws(SourceDataError) -> Assembly {
        var issues: [SourceIssue] = []
        var fromEnv = Partial()
        var fromVolume = Partial()
        var env: [String: String] = [:]

        let prefix = environment.prefix
        if !prefix.isEmpty {
            for (name, value) in variables where name.hasPrefix(prefix) { env[name] = value }
            for known in EnvironmentSpec.wellKnown {
                let name = prefix + known.suffix
                guard let value = variables[name] else { continue }
                try apply(
                    known.field, bytes: Array(value.utf8), source: "env:\(name)",
                    bareIntegerDivisor: known.bareIntegerDivisor, into: &fromEnv, issues: &issues)
            }
        }
        for item in environment.items {
            guard let value = variables[item.name] else { continue }
            env[item.name] = value
            try apply(item.field, bytes: Array(value.utf8), source: "env:\(item.name)", into: &fromEnv, issues: &issues)
        }
        let root = volumeRoot.isEmpty || volumeRoot.hasSuffix("/") ? volumeRoot : volumeRoot + "/"
        for item in items {
            guard let bytes = volumeFiles[item.path] else { continue }
            try apply(
                item.field, bytes: bytes, source: "volume:\(item.path)", path: root + item.path,
                into: &fromVolume, issues: &issues)
        }

        var snapshot = PodSnapshot()
        snapshot.env = env
        snapshot.pod = fromEnv.snapshot.pod
        snapshot.pod.overlay(fromVolume.snapshot.pod)
        snapshot.labels =
            fromVolume.hasLabelMap
            ? fromVolume.snapshot.labels : fromEnv.snapshot.labels.merging(fromVolume.snapshot.labels) { $1 }
        snapshot.annotations =
            fromVolume.hasAnnotationMap
            ? fromVolume.snapshot.annotations
            : fromEnv.snapshot.annotations.merging(fromVolume.snapshot.annotations) { $1 }
        snapshot.limits = fromEnv.snapshot.limits.merging(fromVolume.snapshot.limits) { $1 }
        snapshot.requests = fromEnv.snapshot.requests.merging(fromVolume.snapshot.requests) { $1 }
        return Assembly(snapshot: filter.apply(to: snapshot), issues: issues)
    }

    /// What one source contributed.
    struct Partial {
        var snapshot = PodSnapshot()
        var hasLabelMap = false
        var hasAnnotationMap = false
    }

    private func apply(
        _ field: FieldReference, bytes: [UInt8], source: String, path: String? = nil,
        bareIntegerDivisor: Quantity? = nil, into partial: inout Partial, issues: inout [SourceIssue]
    ) throws(SourceDataError) {
        let where_ = path ?? source
        switch field {
        case .pod(.labels), .pod(.annotations):
            let map: KubeletMapFile
            do {
                map = try KubeletMapFile.parse(bytes, path: where_, strict: strict)
            } catch {
                throw SourceDataError(
                    source: where_, line: error.line, byteOffset: error.byteOffset, reason: error.reason)
            }
            issues.append(
                contentsOf: map.warnings.map {
                    SourceIssue(source: "\(where_):\($0.line)", message: "\($0.reason) at byte \($0.byteOffset)")
                })
            if field == .pod(.labels) {
                partial.snapshot.labels.merge(map.entries) { $1 }
                partial.hasLabelMap = true
            } else {
                partial.snapshot.annotations.merge(map.entries) { $1 }
                partial.hasAnnotationMap = true
            }
        case .pod(let podField):
            let text = try decodeText(bytes, source: where_, issues: &issues)
            switch podField {
            case .label(let key): partial.snapshot.labels[key] = SnapshotAssembler.droppingFinalNewline(text)
            case .annotation(let key): partial.snapshot.annotations[key] = text
            default: partial.snapshot.pod.set(podField, to: SnapshotAssembler.droppingFinalNewline(text))
            }
        case .resource(let ref):
            guard
                let reading = try resourceReading(
                    ref, bytes: bytes, source: source, location: where_,
                    bareIntegerDivisor: bareIntegerDivisor, issues: &issues)
            else { return }
            partial.snapshot[ref.bound][ref.resource] = reading
        }
    }

    private func decodeText(_ bytes: [UInt8], source: String, issues: inout [SourceIssue]) throws(SourceDataError)
        -> String
    {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        if strict { throw SourceDataError(source: source, reason: "the content is not valid UTF-8") }
        issues.append(SourceIssue(source: source, message: "invalid UTF-8 replaced by U+FFFD"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The kubelet writes names and resource integers without a newline; hand-written files
    /// usually end with one. Neither names nor label values can contain a newline, so
    /// dropping one final newline loses nothing.
    static func droppingFinalNewline(_ text: String) -> String {
        text.hasSuffix("\n") ? String(text.dropLast()) : text
    }

    private func resourceReading(
        _ ref: ResourceReference, bytes: [UInt8], source: String, location: String,
        bareIntegerDivisor: Quantity?, issues: inout [SourceIssue]
    ) throws(SourceDataError) -> ResourceReading? {
        let raw = SnapshotAssembler.droppingFinalNewline(String(decoding: bytes, as: UTF8.self))
        func reject(_ reason: String) throws(SourceDataError) -> ResourceReading? {
            if strict { throw SourceDataError(source: location, reason: reason) }
            issues.append(SourceIssue(source: location, message: reason + "; the value is skipped"))
            return nil
        }
        let isBareInteger =
            !raw.isEmpty
            && raw.utf8.enumerated().allSatisfy { index, byte in
                (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                    || (index == 0 && byte == UInt8(ascii: "-") && raw.utf8.count > 1)
            }
        // An explicit divisor (item or --env-item) means the kubelet wrote an integer.
        if ref.divisor != nil || bareIntegerDivisor == nil || isBareInteger {
            guard isBareInteger, let integer = Int64(raw) else {
                return try reject("\(ref.resourcePath) must be an integer as the kubelet writes it, got \"\(raw)\"")
            }
            // Unset and "0" divisors both mean 1, as in the kubelet.
            let divisor = ref.divisor == nil ? (bareIntegerDivisor ?? .one) : ref.effectiveDivisor
            return ResourceReading(
                quantity: DownwardAPIResource.quantity(fileValue: integer, divisor: divisor),
                raw: raw, divisor: divisor, source: source)
        }
        do {
            return ResourceReading(quantity: try Quantity(parsing: raw), raw: raw, divisor: nil, source: source)
        } catch {
            return try reject("\(ref.resourcePath) is not a quantity: \(error)")
        }
    }
}

extension PodFields {
    /// Takes every field `other` has.
    mutating func overlay(_ other: PodFields) {
        name = other.name ?? name
        namespace = other.namespace ?? namespace
        uid = other.uid ?? uid
        nodeName = other.nodeName ?? nodeName
        serviceAccountName = other.serviceAccountName ?? serviceAccountName
        ip = other.ip ?? ip
        ips = other.ips ?? ips
        hostIP = other.hostIP ?? hostIP
        hostIPs = other.hostIPs ?? hostIPs
    }
}
