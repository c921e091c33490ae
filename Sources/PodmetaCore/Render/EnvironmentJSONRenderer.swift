/// Writes variables as one JSON object, name to value (`podmeta env --format json`). JSON
/// holds every value, multi-line ones included; members are sorted by name.
public struct EnvironmentJSONRenderer: Sendable {
    public var style: JSONRenderer.Style

    public init(style: JSONRenderer.Style = .pretty) {
        self.style = style
    }

    /// The object as a JSON value.
    public static func jsonValue(_ variables: [EnvironmentVariable]) -> JSONValue {
        var members: [String: JSONValue] = [:]
        for variable in variables { members[variable.name] = .string(variable.value) }
        return .object(members)
    }

    /// The rendered object.
    public func render(_ variables: [EnvironmentVariable]) -> [UInt8] {
        JSONRenderer(style: style).render(EnvironmentJSONRenderer.jsonValue(variables))
    }
}
