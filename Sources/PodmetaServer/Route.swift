/// What a request path asks for. The routing table is the two static tables below.
enum Route: Sendable, Equatable {
    /// `/v1/snapshot`: the whole document.
    case snapshot
    /// `/v1/pod`, `/v1/labels`, ...: one section of the document.
    case section(String)
    /// `/v1/labels/KEY`, `/v1/annotations/KEY`: one entry of a map section.
    case entry(section: String, key: String)
    /// `/v1/watch`: a stream of documents.
    case watch
    /// `/healthz`
    case health
    /// `/readyz`
    case readiness
    /// `/metrics`
    case metrics

    private static let exact: [String: Route] = [
        "/v1/snapshot": .snapshot,
        "/v1/pod": .section("pod"),
        "/v1/labels": .section("labels"),
        "/v1/annotations": .section("annotations"),
        "/v1/resources": .section("resources"),
        "/v1/env": .section("env"),
        "/v1/watch": .watch,
        "/healthz": .health,
        "/readyz": .readiness,
        "/metrics": .metrics,
    ]

    /// Map sections whose entries have their own path; the key is the rest of the path,
    /// slashes included (`/v1/labels/app.kubernetes.io/name`).
    private static let entryPrefixes: [(prefix: String, section: String)] = [
        ("/v1/labels/", "labels"),
        ("/v1/annotations/", "annotations"),
    ]

    /// The route of a percent-decoded path, or nil for an unknown path.
    init?(path: String) {
        if let route = Route.exact[path] {
            self = route
            return
        }
        for (prefix, section) in Route.entryPrefixes where path.hasPrefix(prefix) {
            self = .entry(section: section, key: String(path.dropFirst(prefix.count)))
            return
        }
        return nil
    }

    /// The `route` label of the request counter: the path pattern, never a raw key, so the
    /// number of series stays bounded.
    var metricLabel: String {
        switch self {
        case .snapshot: "/v1/snapshot"
        case .section(let name): "/v1/\(name)"
        case .entry(let section, _): "/v1/\(section)/{key}"
        case .watch: "/v1/watch"
        case .health: "/healthz"
        case .readiness: "/readyz"
        case .metrics: "/metrics"
        }
    }

    /// Whether the answer is derived from the snapshot (blocking queries, 503 before the
    /// first snapshot, and `If-None-Match` apply).
    var servesSnapshot: Bool {
        switch self {
        case .snapshot, .section, .entry: true
        case .watch, .health, .readiness, .metrics: false
        }
    }
}
