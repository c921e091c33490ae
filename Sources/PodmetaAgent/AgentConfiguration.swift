import PodmetaIO

/// Everything the agent loop needs to know, resolved from flags and the config file.
package struct AgentConfiguration: Sendable {
    /// Which change detector to use.
    package enum WatcherBackend: String, Sendable, CaseIterable {
        /// inotify, falling back to polling when it cannot be set up.
        case auto
        case inotify
        case polling
    }

    package var loader: SnapshotLoader
    package var outputs: [any SnapshotOutput]
    package var watcherBackend: WatcherBackend
    package var pollInterval: Duration
    /// A full re-read this often even without events; nil disables it.
    package var resyncInterval: Duration?
    /// Read, publish every output, and return.
    package var once: Bool
    /// The environment the sources read (the process environment in production).
    package var variables: [String: String]

    package init(
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
