/// One "run the hook with this" request: the JSON payload for stdin and the variables of
/// this change.
public struct HookRequest: Sendable, Hashable {
    /// The revision that triggered it, for logs and reports.
    public var revision: UInt64?
    /// Written to the hook's stdin, then stdin is closed.
    public var payload: [UInt8]
    /// Added to (and overriding) the runner's base environment: `PODMETA_REVISION`,
    /// `PODMETA_CHANGED`.
    public var environment: [String: String]

    public init(revision: UInt64? = nil, payload: [UInt8], environment: [String: String] = [:]) {
        self.revision = revision
        self.payload = payload
        self.environment = environment
    }
}
