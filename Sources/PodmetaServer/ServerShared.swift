import PodmetaState

/// What every connection of one server shares.
final class ServerShared: Sendable {
    let configuration: SocketServerConfiguration
    let store: SnapshotStore
    let responder: RouteResponder
    let metrics: ServerMetrics
    let renderings: SnapshotRenderings

    init(configuration: SocketServerConfiguration, store: SnapshotStore, health: AgentHealth, metrics: ServerMetrics) {
        self.configuration = configuration
        self.store = store
        self.metrics = metrics
        self.renderings = SnapshotRenderings()
        self.responder = RouteResponder(store: store, health: health, metrics: metrics, renderings: renderings)
    }
}
