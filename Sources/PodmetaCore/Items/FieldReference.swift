/// What one downward API item or environment variable holds: a pod field or a resource.
public enum FieldReference: Sendable, Hashable {
    case pod(PodField)
    case resource(ResourceReference)

    /// Parses `FIELD[@DIVISOR][:CONTAINER]`, where FIELD is a fieldPath (`metadata.labels`,
    /// `metadata.labels['app']`, `status.podIP`, ...) or a resource (`limits.cpu`,
    /// `requests.memory`, `limits.hugepages-2Mi`, ...). Divisors and containers apply to
    /// resources only; divisors are validated for the resource as the API server does.
    public init(parsing text: String) throws(ItemSpecError) {
        if let field = PodField(fieldPath: text) {
            self = .pod(field)
            return
        }
        var rest = Substring(text)
        var container: String?
        if let colon = rest.lastIndex(of: ":") {
            container = String(rest[rest.index(after: colon)...])
            rest = rest[..<colon]
            if container!.isEmpty { throw ItemSpecError(spec: text, reason: "the container name after ':' is empty") }
        }
        var divisor: Quantity?
        var divisorText: String?
        if let at = rest.firstIndex(of: "@") {
            divisorText = String(rest[rest.index(after: at)...])
            rest = rest[..<at]
        }
        guard let dot = rest.firstIndex(of: "."),
            let bound = ResourceBound(rawValue: String(rest[..<dot]))
        else {
            if PodField(fieldPath: String(rest)) != nil {
                throw ItemSpecError(spec: text, reason: "divisors and container names apply to resources only")
            }
            throw ItemSpecError(
                spec: text,
                reason: "unknown field; expected a fieldPath such as metadata.labels or a resource such as limits.cpu")
        }
        let resource = String(rest[rest.index(after: dot)...])
        guard !resource.isEmpty else { throw ItemSpecError(spec: text, reason: "the resource name is empty") }
        guard DownwardAPIResource(name: resource).isSupported else {
            throw ItemSpecError(
                spec: text,
                reason:
                    "resource \"\(resource)\" is not available through the downward API (only cpu, memory, ephemeral-storage and hugepages-<size> are)"
            )
        }
        if let divisorText {
            do {
                divisor = try Quantity(parsing: divisorText)
            } catch {
                throw ItemSpecError(spec: text, reason: "the divisor is not a quantity (\(error))")
            }
            if let problem = ResourceDivisor.validationProblem(divisor!, resource: resource) {
                throw ItemSpecError(spec: text, reason: problem)
            }
        }
        self = .resource(
            ResourceReference(bound: bound, resource: resource, divisor: divisor, containerName: container))
    }

    /// The spec text this reference parses from.
    public var specText: String {
        switch self {
        case .pod(let field): return field.fieldPath
        case .resource(let ref):
            var text = ref.resourcePath
            if let divisor = ref.divisor { text += "@\(divisor.canonical)" }
            if let container = ref.containerName { text += ":\(container)" }
            return text
        }
    }
}
