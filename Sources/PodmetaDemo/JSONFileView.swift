/// What the JSON file held at one read.
struct JSONFileView: Sendable {
    var revision: Int64
    var labels: [String: String]
    /// The document's `labels` and `revision`, pretty, other members elided.
    var excerpt: String
    /// `resources`: bound (`limits`) to resource name to its `quantity`.
    var resources: [String: [String: String]]
}
