/// The merged view of a pod's own metadata at one moment: the content of a snapshot
/// document, without its revision.
///
/// Equality compares strings by Unicode canonical equivalence, as Swift does; to decide
/// whether a read changed anything, compare rendered documents (the agent's store does).
/// Label and annotation keys are ASCII in Kubernetes, so dictionary keys never merge.
public struct PodSnapshot: Sendable, Hashable {
    /// The document's `apiVersion`.
    public static let apiVersion = "podmeta/v1"

    public var pod = PodFields()
    /// Labels under their original keys.
    public var labels: [String: String] = [:]
    /// Annotations under their original keys, the kubelet-local ones included.
    public var annotations: [String: String] = [:]
    /// Resource limits by resource name (`cpu`, `memory`, ...).
    public var limits: [String: ResourceReading] = [:]
    /// Resource requests by resource name.
    public var requests: [String: ResourceReading] = [:]
    /// The raw `POD_*` (prefix) variables and declared `--env-item` variables.
    public var env: [String: String] = [:]

    public init() {}

    /// The readings of one bound.
    public subscript(bound: ResourceBound) -> [String: ResourceReading] {
        get { bound == .limits ? limits : requests }
        set {
            if bound == .limits { limits = newValue } else { requests = newValue }
        }
    }

    /// The `resources` section.
    public var resourcesJSON: JSONValue {
        .object([
            "limits": .object(limits.mapValuesWithKey { $1.jsonValue(resource: $0) }),
            "requests": .object(requests.mapValuesWithKey { $1.jsonValue(resource: $0) }),
        ])
    }

    /// One section of the document by its name (`pod`, `labels`, `annotations`, `resources`,
    /// `env`), or nil for an unknown name.
    public func section(_ name: String) -> JSONValue? {
        switch name {
        case "pod": pod.jsonValue
        case "labels": .object(labels.mapValues(JSONValue.string))
        case "annotations": .object(annotations.mapValues(JSONValue.string))
        case "resources": resourcesJSON
        case "env": .object(env.mapValues(JSONValue.string))
        default: nil
        }
    }

    /// The section names, in document order.
    public static let sectionNames = ["pod", "labels", "annotations", "resources", "env"]

    /// The whole document with its revision.
    public func document(revision: UInt64) -> JSONValue {
        var members: [String: JSONValue] = [
            "apiVersion": .string(PodSnapshot.apiVersion),
            "revision": .int(Int64(clamping: revision)),
        ]
        for name in PodSnapshot.sectionNames { members[name] = section(name) }
        return .object(members)
    }

    /// Reads a document written by ``document(revision:)`` back, e.g. from the JSON file.
    public init(document: JSONValue) throws(SnapshotDocumentError) {
        guard case .object = document else { throw SnapshotDocumentError(reason: "the document is not a JSON object") }
        guard document["apiVersion"]?.stringValue == PodSnapshot.apiVersion else {
            throw SnapshotDocumentError(reason: "apiVersion is not \(PodSnapshot.apiVersion)")
        }
        pod = PodFields(json: document["pod"] ?? .object([:]))
        labels = document["labels"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
        annotations = document["annotations"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
        env = document["env"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
        let resources = document["resources"]
        limits = resources?["limits"]?.objectValue?.compactMapValues(ResourceReading.init(json:)) ?? [:]
        requests = resources?["requests"]?.objectValue?.compactMapValues(ResourceReading.init(json:)) ?? [:]
    }
}

extension Dictionary {
    func mapValuesWithKey<T>(_ transform: (Key, Value) -> T) -> [Key: T] {
        var result: [Key: T] = [:]
        result.reserveCapacity(count)
        for (key, value) in self { result[key] = transform(key, value) }
        return result
    }
}
