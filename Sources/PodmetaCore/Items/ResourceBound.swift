/// Whether a resource reference reads the container's limit or its request.
public enum ResourceBound: String, Sendable, Hashable, CaseIterable {
    case limits
    case requests
}
