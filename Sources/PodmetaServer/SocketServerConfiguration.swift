/// How the local query endpoint listens and what it tolerates from clients.
///
/// The defaults suit a sidecar: a few local clients, long blocking queries, small answers.
public struct SocketServerConfiguration: Sendable, Equatable {
    /// Where the Unix domain socket is created (at most 107 bytes: `sun_path` is 108); nil
    /// serves no socket, only the metrics listener.
    public var path: String?
    /// The optional TCP listener for `/metrics`, `/healthz` and `/readyz` (every other path
    /// is 404 there: the pod's data never leaves the pod through it). Off by default.
    public var metricsAddress: MetricsAddress?
    /// Permission bits of the socket file. A client needs write permission to connect, so
    /// 0660 admits the agent's user and group.
    public var mode: UInt32 = 0o660
    /// Permission bits of the socket's parent directory when the server has to create it.
    public var directoryMode: UInt32 = 0o750
    /// When set, only peers whose uid (SO_PEERCRED) is listed are answered; others get 403
    /// and are disconnected. List the agent's own uid too if `podmeta health` probes run
    /// as that user.
    public var allowedUIDs: Set<UInt32>?
    /// How long a kept-alive connection may sit idle between requests.
    public var idleTimeout: Duration = .seconds(60)
    /// How long a client may take to send a complete request line and headers, counted from
    /// its first byte (the slowloris limit).
    public var headerTimeout: Duration = .seconds(10)
    /// The most bytes a request line plus its headers may take; larger requests get 431.
    public var maxHeaderBytes = 8 * 1024
    /// Connections served at once. Up to 64 more are accepted for one `/healthz` or
    /// `/readyz` probe each (anything else gets 503) and disconnected after it or after the
    /// header timeout; beyond that, connections are closed at once.
    public var maxConnections = 256
    /// Blocking queries without `wait` wait this long.
    public var defaultWait: Duration = .seconds(300)
    /// Longer `wait` values are clamped to this.
    public var maxWait: Duration = .seconds(600)
    /// An empty line (NDJSON) or comment (SSE) is sent on an idle watch stream this often,
    /// so clients notice a dead agent.
    public var heartbeatInterval: Duration = .seconds(15)
    /// A watch client that leaves a write (a document or a heartbeat) unread this long is
    /// cut off: a stalled client holds at most one unwritten write, then loses its stream.
    public var stalledWriteTimeout: Duration = .seconds(30)
    /// At graceful shutdown, connections still open after this long are closed hard.
    public var shutdownGracePeriod: Duration = .seconds(5)

    /// The defaults for a socket at `path`.
    public init(path: String) {
        self.path = path
    }

    /// The defaults for a server with only the metrics listener at `metricsAddress`.
    public init(metricsAddress: MetricsAddress) {
        self.path = nil
        self.metricsAddress = metricsAddress
    }
}
