import Synchronization

/// Counters and gauges of the agent, rendered in the Prometheus text format.
///
/// A registry of our own instead of swift-metrics plus swift-prometheus: the agent has a
/// dozen series, and a sidecar's footprint is judged in MiB.
package final class MetricsRegistry: Sendable {
    /// The kind of a metric family.
    package enum Kind: String, Sendable {
        case counter
        case gauge
    }

    private struct Family {
        var help: String
        var kind: Kind
        /// Rendered label set (`{a="b"}` or "") to value.
        var series: [String: Double] = [:]
    }

    private let families = Mutex<[String: Family]>([:])

    package init() {}

    /// Declares a family so it renders (with its HELP and TYPE) even before its first sample.
    package func describe(_ name: String, kind: Kind, help: String) {
        families.withLock { families in
            if families[name] == nil { families[name] = Family(help: help, kind: kind) }
        }
    }

    /// Adds `amount` to a counter.
    package func increment(_ name: String, labels: [(String, String)] = [], by amount: Double = 1) {
        let key = MetricsRegistry.labelText(labels)
        families.withLock { families in
            families[name, default: Family(help: name, kind: .counter)].series[key, default: 0] += amount
        }
    }

    /// Sets a gauge.
    package func set(_ name: String, labels: [(String, String)] = [], to value: Double) {
        let key = MetricsRegistry.labelText(labels)
        families.withLock { families in
            families[name, default: Family(help: name, kind: .gauge)].series[key] = value
        }
    }

    /// The current value of one series (for tests and health answers).
    package func value(_ name: String, labels: [(String, String)] = []) -> Double? {
        let key = MetricsRegistry.labelText(labels)
        return families.withLock { $0[name]?.series[key] }
    }

    /// The exposition text, families and series sorted for stable output.
    package func render() -> String {
        let snapshot = families.withLock { $0 }
        var out = ""
        for name in snapshot.keys.sorted() {
            let family = snapshot[name]!
            out += "# HELP \(name) \(family.help)\n# TYPE \(name) \(family.kind.rawValue)\n"
            if family.series.isEmpty, family.kind == .counter {
                out += "\(name) 0\n"
                continue
            }
            for key in family.series.keys.sorted() {
                out += "\(name)\(key) \(MetricsRegistry.format(family.series[key]!))\n"
            }
        }
        return out
    }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    static func labelText(_ labels: [(String, String)]) -> String {
        guard !labels.isEmpty else { return "" }
        let body = labels.map { name, value in
            var escaped = ""
            for ch in value.unicodeScalars {
                switch ch {
                case "\\": escaped += "\\\\"
                case "\"": escaped += "\\\""
                case "\n": escaped += "\\n"
                default: escaped.unicodeScalars.append(ch)
                }
            }
            return "\(name)=\"\(escaped)\""
        }
        return "{" + body.joined(separator: ",") + "}"
    }
}
