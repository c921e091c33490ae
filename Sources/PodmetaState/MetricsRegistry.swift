import Synchronization

/// The values of podmeta's metric families, rendered in the Prometheus text format.
///
/// A registry of our own instead of swift-metrics plus swift-prometheus: the agent has about
/// twenty families, and those two packages add 0.7 MiB of resident memory (BENCHMARKS.md) to a
/// sidecar whose footprint is judged in MiB. Families are declared once, as ``Metric``
/// values; the registry knows every family of ``Metric/all`` from the start, so the
/// exposition shows each HELP and TYPE (and unlabelled counters at 0) before the first sample.
package final class MetricsRegistry: Sendable {
    /// One series: a counter's or gauge's value, or a summary's sum and count.
    private struct Series {
        var value: Double = 0
        var count: UInt64 = 0
    }

    private struct Family {
        let metric: Metric
        /// Rendered label set (`{a="b"}` or "") to its series.
        var series: [String: Series] = [:]
    }

    private let families: Mutex<[String: Family]>

    package init(families declared: [Metric] = Metric.all) {
        var families: [String: Family] = [:]
        for metric in declared { families[metric.name] = Family(metric: metric) }
        self.families = Mutex(families)
    }

    /// Adds `amount` to a counter.
    package func increment(_ metric: Metric, labels: [String: String] = [:], by amount: Double = 1) {
        assert(metric.kind == .counter, "\(metric.name) is a \(metric.kind), not a counter")
        update(metric, labels) { $0.value += amount }
    }

    /// Sets a gauge, or a counter whose running total is kept elsewhere (in atomics, say).
    package func set(_ metric: Metric, labels: [String: String] = [:], to value: Double) {
        assert(metric.kind != .summary, "\(metric.name) is a summary: observe it")
        update(metric, labels) { $0.value = value }
    }

    /// Adds one observation to a summary.
    package func observe(_ metric: Metric, labels: [String: String] = [:], _ value: Double) {
        assert(metric.kind == .summary, "\(metric.name) is a \(metric.kind), not a summary")
        update(metric, labels) {
            $0.value += value
            $0.count += 1
        }
    }

    /// The current value of one series (a summary's sum), for tests and health answers.
    package func value(_ metric: Metric, labels: [String: String] = [:]) -> Double? {
        let key = MetricsRegistry.labelText(metric, labels)
        return families.withLock { $0[metric.name]?.series[key]?.value }
    }

    /// The number of observations of one summary series.
    package func count(_ metric: Metric, labels: [String: String] = [:]) -> UInt64? {
        let key = MetricsRegistry.labelText(metric, labels)
        return families.withLock { $0[metric.name]?.series[key]?.count }
    }

    private func update(_ metric: Metric, _ labels: [String: String], _ change: (inout Series) -> Void) {
        let key = MetricsRegistry.labelText(metric, labels)
        families.withLock { families in
            change(&families[metric.name, default: Family(metric: metric)].series[key, default: Series()])
        }
    }

    /// The exposition text, families and series sorted for stable output.
    package func render() -> String {
        let snapshot = families.withLock { $0 }
        var out = ""
        for name in snapshot.keys.sorted() {
            let family = snapshot[name]!
            let metric = family.metric
            out += "# HELP \(name) \(MetricsRegistry.escapeHelp(metric.help))\n# TYPE \(name) \(metric.kind.rawValue)\n"
            // An unlabelled counter exists from the start; a labelled family has no series
            // until its first sample (a label-less `name 0` beside labelled series would be
            // a different series that vanishes).
            if family.series.isEmpty, metric.kind != .gauge, metric.labelNames.isEmpty {
                out += metric.kind == .summary ? "\(name)_sum 0\n\(name)_count 0\n" : "\(name) 0\n"
                continue
            }
            for key in family.series.keys.sorted() {
                let series = family.series[key]!
                if metric.kind == .summary {
                    out += "\(name)_sum\(key) \(MetricsRegistry.format(series.value))\n"
                    out += "\(name)_count\(key) \(series.count)\n"
                } else {
                    out += "\(name)\(key) \(MetricsRegistry.format(series.value))\n"
                }
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

    /// HELP text escapes only backslash and newline.
    static func escapeHelp(_ text: String) -> String {
        escape(text, quotes: false)
    }

    /// The label set in the family's declared order. Every declared label must be given,
    /// and no other: a typo at a call site fails the tests, not a dashboard.
    static func labelText(_ metric: Metric, _ labels: [String: String]) -> String {
        assert(
            labels.count == metric.labelNames.count && metric.labelNames.allSatisfy { labels[$0] != nil },
            "\(metric.name) takes the labels \(metric.labelNames), not \(labels.keys.sorted())")
        guard !metric.labelNames.isEmpty else { return "" }
        let body = metric.labelNames.map { name in "\(name)=\"\(escape(labels[name] ?? "", quotes: true))\"" }
        return "{" + body.joined(separator: ",") + "}"
    }

    private static func escape(_ text: String, quotes: Bool) -> String {
        var escaped = ""
        for ch in text.unicodeScalars {
            switch ch {
            case "\\": escaped += "\\\\"
            case "\"" where quotes: escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(ch)
            }
        }
        return escaped
    }
}
