/// One file of a downwardAPI volume and what it holds.
public struct VolumeItem: Sendable, Hashable {
    /// The item's path relative to the volume root (may be nested: `sub/labels`).
    public var path: String
    /// What the kubelet writes into it.
    public var field: FieldReference

    public init(path: String, field: FieldReference) {
        self.path = path
        self.field = field
    }

    /// Parses `PATH=FIELD[@DIVISOR][:CONTAINER]`.
    public init(parsing spec: String) throws(ItemSpecError) {
        guard let eq = spec.firstIndex(of: "=") else {
            throw ItemSpecError(spec: spec, reason: "expected PATH=FIELD, e.g. labels=metadata.labels")
        }
        let path = String(spec[..<eq])
        if let problem = VolumeItem.pathProblem(path) { throw ItemSpecError(spec: spec, reason: problem) }
        do {
            self.init(path: path, field: try FieldReference(parsing: String(spec[spec.index(after: eq)...])))
        } catch {
            throw ItemSpecError(spec: spec, reason: error.reason)
        }
    }

    /// Why `path` cannot be a downward API item path, or nil when it can. Mirrors the API
    /// server's validation: relative, no `..` element, not starting with `..`.
    static func pathProblem(_ path: String) -> String? {
        if path.isEmpty { return "the path is empty" }
        if path.hasPrefix("/") { return "the path must be relative to the volume root" }
        if path.hasPrefix("..") { return "paths starting with '..' belong to the kubelet" }
        if path.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == ".." || $0.isEmpty }) {
            return "the path must not contain empty or '..' elements"
        }
        return nil
    }

    /// The items of the Kubernetes documentation's example volume, used when no `--item` is
    /// given: `labels`, `annotations`, `name`, `namespace`, `uid`, and CPU in millicores and
    /// memory in MiB for the limit and the request.
    public static let defaults: [VolumeItem] = {
        let milli = try! Quantity(parsing: "1m")
        let mebi = try! Quantity(parsing: "1Mi")
        return [
            VolumeItem(path: "labels", field: .pod(.labels)),
            VolumeItem(path: "annotations", field: .pod(.annotations)),
            VolumeItem(path: "name", field: .pod(.name)),
            VolumeItem(path: "namespace", field: .pod(.namespace)),
            VolumeItem(path: "uid", field: .pod(.uid)),
            VolumeItem(path: "cpu_limit", field: .resource(.init(bound: .limits, resource: "cpu", divisor: milli))),
            VolumeItem(path: "cpu_request", field: .resource(.init(bound: .requests, resource: "cpu", divisor: milli))),
            VolumeItem(path: "mem_limit", field: .resource(.init(bound: .limits, resource: "memory", divisor: mebi))),
            VolumeItem(
                path: "mem_request", field: .resource(.init(bound: .requests, resource: "memory", divisor: mebi))),
        ]
    }()
}
