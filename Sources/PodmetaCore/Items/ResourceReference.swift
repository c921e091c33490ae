/// A `resourceFieldRef`: a container resource limit or request, with its divisor.
public struct ResourceReference: Sendable, Hashable {
    /// `limits` or `requests`.
    public var bound: ResourceBound
    /// The resource name: `cpu`, `memory`, `ephemeral-storage`, `hugepages-2Mi`, ...
    public var resource: String
    /// The divisor the kubelet divided by; nil means "unset" (1).
    public var divisor: Quantity?
    /// The `containerName` of the item, if one was given.
    public var containerName: String?

    public init(bound: ResourceBound, resource: String, divisor: Quantity? = nil, containerName: String? = nil) {
        self.bound = bound
        self.resource = resource
        self.divisor = divisor
        self.containerName = containerName
    }

    /// The resource as written in a pod spec (`limits.cpu`).
    public var resourcePath: String { "\(bound.rawValue).\(resource)" }

    /// The divisor actually applied: unset and zero both mean 1, as in the kubelet.
    public var effectiveDivisor: Quantity {
        ResourceDivisor.effective(divisor)
    }
}
