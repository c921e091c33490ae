/// Durations written as Go and Consul write them: `300ms`, `30s`, `5m`, `1h`, `1m30s`.
///
/// Users copy these from kubectl, Consul and consul-template configurations, so the flags,
/// the config file and the socket's `?wait=` all accept the same syntax. A bare `0` means
/// zero; any other bare number is refused because its unit would be a guess.
public enum DurationText {
    /// Parses `text`; nil when it is not a duration.
    public static func parse(_ text: String) -> Duration? {
        if text == "0" { return .zero }
        var total: Duration = .zero
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number.filter({ $0 == "." }).count <= 1, number != "." else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isASCII && $0.isLetter }
            rest = rest.dropFirst(unit.count)
            let nanosPerUnit: Int64
            switch unit {
            case "ns": nanosPerUnit = 1
            case "us": nanosPerUnit = 1_000
            case "ms": nanosPerUnit = 1_000_000
            case "s": nanosPerUnit = 1_000_000_000
            case "m": nanosPerUnit = 60_000_000_000
            case "h": nanosPerUnit = 3_600_000_000_000
            default: return nil
            }
            let nanos: Int64
            if let whole = Int64(number) {
                // Whole numbers exactly: through a Double, counts past 2^53 ns (104 days) lose
                // nanoseconds, and `format`'s `31620332000000009ns` would not parse back.
                let (product, overflow) = whole.multipliedReportingOverflow(by: nanosPerUnit)
                guard !overflow, product < 1_000_000_000_000_000_000 else { return nil }
                nanos = product
            } else {
                guard let value = Double(number) else { return nil }
                let product = value * Double(nanosPerUnit)
                guard product < 1e18 else { return nil }
                nanos = Int64(product.rounded())
            }
            total += .nanoseconds(nanos)
            // The sum has the same bound as each part (about 31 years): repeated parts
            // (`277777h277777h...`) must not add up to what no timer can hold.
            guard total < .nanoseconds(1_000_000_000_000_000_000) else { return nil }
        }
        return total
    }

    /// Renders a duration the way it parses back: `1.5s`, `250ms`, `2m`.
    public static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        // In 128 bits: any Duration formats, even one past Int64 nanoseconds (292 years).
        let nanos = Int128(seconds) * 1_000_000_000 + Int128(attoseconds / 1_000_000_000)
        if nanos == 0 { return "0" }
        if nanos % 60_000_000_000 == 0 { return "\(nanos / 60_000_000_000)m" }
        if nanos % 1_000_000_000 == 0 { return "\(nanos / 1_000_000_000)s" }
        if nanos % 1_000_000 == 0 { return "\(nanos / 1_000_000)ms" }
        return "\(nanos)ns"
    }
}
