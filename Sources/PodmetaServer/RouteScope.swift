/// Which routes a listener serves. The Unix socket serves everything; the TCP listener of
/// `--metrics-address` serves only what a scraper or a probe needs, never the pod's data.
enum RouteScope: Sendable {
    case all
    /// `/metrics`, `/healthz` and `/readyz`; every other path is 404.
    case serviceOnly

    func allows(_ route: Route) -> Bool {
        switch self {
        case .all: true
        case .serviceOnly:
            switch route {
            case .health, .readiness, .metrics: true
            case .snapshot, .section, .entry, .watch: false
            }
        }
    }
}
