import PodmetaAgent

/// `--watcher`: how the agent and `exec` notice that the kubelet changed the volume.
package enum WatcherChoice: String, SettingChoice {
    /// inotify, falling back to polling when it cannot be set up.
    case auto
    case inotify
    case polling

    package var backend: AgentConfiguration.WatcherBackend {
        switch self {
        case .auto: .auto
        case .inotify: .inotify
        case .polling: .polling
        }
    }
}
