/// The agent's answer to `GET /v1/labels`.
struct SocketLabelsView: Sendable {
    var status: Int
    /// `X-Podmeta-Revision`.
    var revision: String?
    /// The body, as curl would print it.
    var body: String
    /// The body decoded, nil when it is not a JSON object of strings.
    var labels: [String: String]?
}
