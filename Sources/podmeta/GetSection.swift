import PodmetaCore

/// `get SECTION`: a section of the snapshot document, or the whole document.
enum GetSection: String, ArgumentChoice {
    case pod, labels, annotations, resources, env, snapshot

    /// What one key of the section is called in a "not found" message.
    var keyNoun: String {
        switch self {
        case .labels: "label"
        case .annotations: "annotation"
        case .env: "variable"
        case .pod: "pod field"
        case .resources, .snapshot: "key"
        }
    }

    /// Whether the socket serves a single key of this section at `/v1/SECTION/KEY`.
    var servesSingleKeys: Bool { self == .labels || self == .annotations }
}
