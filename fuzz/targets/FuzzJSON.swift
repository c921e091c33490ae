/// The JSON parser (config file, snapshot documents read back) and renderer.
enum FuzzJSON {
    static func run(_ bytes: [UInt8]) {
        guard let value = try? JSONParser.parse(bytes) else { return }
        for style in [JSONRenderer.Style.compact, .pretty] {
            let rendered = JSONRenderer(style: style).render(value)
            guard let reparsed = try? JSONParser.parse(rendered) else {
                fatalError("rendered JSON does not parse: \(String(decoding: rendered, as: UTF8.self))")
            }
            fuzzCheck(numeric(reparsed) == numeric(value), "render→parse changes the value of \(bytes)")
            fuzzCheck(JSONRenderer(style: style).render(reparsed) == rendered, "render→parse→render is not a fixpoint")
        }
    }

    /// The value with whole doubles as integers: the renderer prints `1.0` as `1` (the same
    /// JSON number), which parses back as an integer.
    static func numeric(_ value: JSONValue) -> JSONValue {
        switch value {
        case .double(let d) where d.rounded() == d && abs(d) < 9.2e18: .int(Int64(d))
        case .array(let items): .array(items.map(numeric))
        case .object(let members): .object(members.mapValues(numeric))
        default: value
        }
    }
}
