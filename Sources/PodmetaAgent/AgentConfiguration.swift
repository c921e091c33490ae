import PodmetaIO

/// Everything the agent loop needs to know, resolved from flags and the config file.
public struct AgentConfiguration: Sendable {
    /// Which change detector to use.
    public enum WatcherBackend: String, Sendable, CaseIterable {
        /// inotify, falling back to polling when it cannot be set up.
        case auto
        case inotify
        case polling
    }

    public var loader: SnapshotLoader
    public var outputs: [any SnapshotOutput]
    public var watcherBackend: WatcherBackend
    public var pollInterval: Duration
    /// A full re-read this often even without events; nil disables it.
    public var resyncInterval: Duration?
    /// Read, publish every output, and return.
    public var once: Bool
    /// The environment the sources read (the process environment in production).
    public var variables: [String: String]

    public init(
        loader: SnapshotLoader, outputs: [any SnapshotOutput], watcherBackend: WatcherBackend = .auto,
        pollInterval: Duration = .seconds(1), resyncInterval: Duration? = .seconds(60), once: Bool = false,
        variables: [String: String]
    ) {
        self.loader = loader
        self.outputs = outputs
        self.watcherBackend = watcherBackend
        self.pollInterval = pollInterval
        self.resyncInterval = resyncInterval
        self.once = once
        self.variables = variables
    }
}
