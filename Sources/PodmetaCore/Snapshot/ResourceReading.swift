/// One resource limit or request as read from a source, with its conversions.
public struct ResourceReading: Sendable, Hashable {
    /// The value as a quantity: the file integer times the divisor, or the parsed env value.
    public var quantity: Quantity
    /// The text exactly as read (`"500"` from a file, `"500m"` from an env var).
    public var raw: String
    /// The divisor the raw integer is scaled by; nil when the raw text carried its own unit.
    public var divisor: Quantity?
    /// Where it came from: `volume:cpu_limit` or `env:POD_CPU_LIMIT`.
    public var source: String

    public init(quantity: Quantity, raw: String, divisor: Quantity?, source: String) {
        self.quantity = quantity
        self.raw = raw
        self.divisor = divisor
        self.source = source
    }

    /// CPU is reported in cores and millicores; everything else the Downward API exposes
    /// (memory, ephemeral-storage, hugepages-*) is a byte count.
    static func isCPU(_ resource: String) -> Bool { resource == "cpu" }

    func jsonValue(resource: String) -> JSONValue {
        var members: [String: JSONValue] = [
            "quantity": .string(quantity.canonical),
            "raw": .string(raw),
            "source": .string(source),
        ]
        if let divisor { members["divisor"] = .string(divisor.canonical) }
        if ResourceReading.isCPU(resource) {
            if let milli = quantity.milliValue { members["millicores"] = .int(milli) }
            members["cores"] = .double(quantity.doubleValue)
        } else {
            if let bytes = quantity.value { members["bytes"] = .int(bytes) }
            members["mebibytes"] = .double(quantity.doubleValue / 1_048_576)
        }
        return .object(members)
    }

    init?(json: JSONValue) {
        guard let text = json["quantity"]?.stringValue, let quantity = try? Quantity(parsing: text),
            let raw = json["raw"]?.stringValue
        else { return nil }
        self.quantity = quantity
        self.raw = raw
        self.divisor = json["divisor"]?.stringValue.flatMap { try? Quantity(parsing: $0) }
        self.source = json["source"]?.stringValue ?? ""
    }
}
