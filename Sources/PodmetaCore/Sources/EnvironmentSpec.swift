/// Which environment variables hold pod metadata.
public struct EnvironmentSpec: Sendable, Hashable {
    /// Every variable starting with this prefix is copied into the `env` section, and the
    /// well-known names below (prefix + suffix) map into `pod` and `resources`.
    public var prefix: String
    /// Variables declared with `--env-item`.
    public var items: [EnvironmentItem]

    public init(prefix: String = "POD_", items: [EnvironmentItem] = []) {
        self.prefix = prefix
        self.items = items
    }

    /// A well-known variable: what it holds, and for resources the divisor assumed when its
    /// value is a bare integer (a value with a unit, such as `500m`, is read as a quantity).
    struct WellKnown: Sendable {
        var suffix: String
        var field: FieldReference
        var bareIntegerDivisor: Quantity?
    }

    static let wellKnown: [WellKnown] = {
        let milli = try! Quantity(parsing: "1m")
        func resource(_ bound: ResourceBound, _ name: String) -> FieldReference {
            .resource(ResourceReference(bound: bound, resource: name))
        }
        return [
            WellKnown(suffix: "NAME", field: .pod(.name)),
            WellKnown(suffix: "NAMESPACE", field: .pod(.namespace)),
            WellKnown(suffix: "UID", field: .pod(.uid)),
            WellKnown(suffix: "IP", field: .pod(.podIP)),
            WellKnown(suffix: "IPS", field: .pod(.podIPs)),
            WellKnown(suffix: "NODE_NAME", field: .pod(.nodeName)),
            WellKnown(suffix: "SERVICE_ACCOUNT", field: .pod(.serviceAccountName)),
            WellKnown(suffix: "HOST_IP", field: .pod(.hostIP)),
            WellKnown(suffix: "HOST_IPS", field: .pod(.hostIPs)),
            WellKnown(suffix: "CPU_LIMIT", field: resource(.limits, "cpu"), bareIntegerDivisor: milli),
            WellKnown(suffix: "CPU_REQUEST", field: resource(.requests, "cpu"), bareIntegerDivisor: milli),
            WellKnown(suffix: "MEMORY_LIMIT", field: resource(.limits, "memory"), bareIntegerDivisor: .one),
            WellKnown(suffix: "MEMORY_REQUEST", field: resource(.requests, "memory"), bareIntegerDivisor: .one),
            WellKnown(
                suffix: "EPHEMERAL_STORAGE_LIMIT", field: resource(.limits, "ephemeral-storage"),
                bareIntegerDivisor: .one),
            WellKnown(
                suffix: "EPHEMERAL_STORAGE_REQUEST", field: resource(.requests, "ephemeral-storage"),
                bareIntegerDivisor: .one),
        ]
    }()
}
