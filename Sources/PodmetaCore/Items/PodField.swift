/// A pod field the Downward API can expose (a `fieldRef.fieldPath`).
public enum PodField: Sendable, Hashable {
    case name
    case namespace
    case uid
    case nodeName
    case serviceAccountName
    case podIP
    case podIPs
    case hostIP
    case hostIPs
    /// The whole label map (`metadata.labels`, volume only).
    case labels
    /// The whole annotation map (`metadata.annotations`, volume only).
    case annotations
    /// One label's raw value (`metadata.labels['key']`).
    case label(String)
    /// One annotation's raw value (`metadata.annotations['key']`).
    case annotation(String)

    /// The fieldPath as written in a pod spec.
    public var fieldPath: String {
        switch self {
        case .name: "metadata.name"
        case .namespace: "metadata.namespace"
        case .uid: "metadata.uid"
        case .nodeName: "spec.nodeName"
        case .serviceAccountName: "spec.serviceAccountName"
        case .podIP: "status.podIP"
        case .podIPs: "status.podIPs"
        case .hostIP: "status.hostIP"
        case .hostIPs: "status.hostIPs"
        case .labels: "metadata.labels"
        case .annotations: "metadata.annotations"
        case .label(let key): "metadata.labels['\(key)']"
        case .annotation(let key): "metadata.annotations['\(key)']"
        }
    }

    static let simplePaths: [String: PodField] = [
        "metadata.name": .name, "metadata.namespace": .namespace, "metadata.uid": .uid,
        "spec.nodeName": .nodeName, "spec.serviceAccountName": .serviceAccountName,
        "status.podIP": .podIP, "status.podIPs": .podIPs,
        "status.hostIP": .hostIP, "status.hostIPs": .hostIPs,
        "metadata.labels": .labels, "metadata.annotations": .annotations,
    ]

    /// Parses a fieldPath; nil when `text` is not one.
    ///
    /// Subscripts follow the kubelet's `SplitMaybeSubscriptedPath`: `metadata.labels['k']`
    /// (double quotes are accepted too, as a convenience for shells).
    public init?(fieldPath text: String) {
        if let simple = PodField.simplePaths[text] {
            self = simple
            return
        }
        for (prefix, make) in [("metadata.labels[", PodField.label), ("metadata.annotations[", PodField.annotation)] {
            guard text.hasPrefix(prefix), text.hasSuffix("]") else { continue }
            let inner = text.dropFirst(prefix.count).dropLast()
            guard inner.count >= 3, let quote = inner.first, quote == "'" || quote == "\"", inner.last == quote
            else { return nil }
            let key = String(inner.dropFirst().dropLast())
            guard !key.isEmpty else { return nil }
            self = make(key)
            return
        }
        return nil
    }
}
