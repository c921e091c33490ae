/// One metric family: its name, kind, help and label names.
///
/// Every family is declared once, in ``Metric``'s catalog (`Metric+Catalog.swift`); call
/// sites name the family (`metrics.increment(.reads, labels: ["trigger": "start"])`), never
/// a string, so a name, its type and its labels cannot drift apart between the code that
/// counts and the exposition that reports.
package struct Metric: Sendable, Hashable {
    /// The Prometheus type of a family.
    package enum Kind: String, Sendable {
        /// Only goes up (resets when the agent restarts); the name ends in `_total`.
        case counter
        /// Goes up and down.
        case gauge
        /// A `_sum` and a `_count` series (no quantiles): rates and averages of observations.
        case summary
    }

    package let name: String
    package let kind: Kind
    package let help: String
    /// The labels every series of the family carries, in the order the exposition shows them.
    package let labelNames: [String]

    package init(_ name: String, _ kind: Kind, help: String, labels: [String] = []) {
        self.name = name
        self.kind = kind
        self.help = help
        self.labelNames = labels
    }
}
