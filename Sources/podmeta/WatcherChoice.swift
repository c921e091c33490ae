import PodmetaAgent

/// `--watcher`: how the agent and `exec` notice that the kubelet changed the volume.
enum WatcherChoice: String, ArgumentChoice {
    /// inotify, falling back to polling when it cannot be set up.
    case auto
    case inotify
    case polling

    var backend: AgentConfiguration.WatcherBackend {
        switch self {
        case .auto: .auto
        case .inotify: .inotify
        case .polling: .polling
        }
    }
}
