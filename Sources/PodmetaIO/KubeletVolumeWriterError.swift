import PodmetaSystem
/// Why ``KubeletVolumeWriter`` did not publish a payload.
public enum KubeletVolumeWriterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An item path the kubelet's validatePath would reject.
    case invalidPath(String, reason: String)
    /// A system call failed.
    case system(path: String, operation: String, errno: ErrnoValue)

    public var description: String {
        switch self {
        case .invalidPath(let path, let reason): "invalid item path \"\(path)\": \(reason)"
        case .system(let path, let operation, let errno): "cannot \(operation) \(path): \(errno)"
        }
    }
}
