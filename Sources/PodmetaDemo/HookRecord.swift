/// One run of the example hook, as it wrote it to its log.
struct HookRecord: Sendable {
    /// The `PODMETA_REVISION=... PODMETA_CHANGED=...` line.
    var environmentLine: String
    var revision: Int64
    var previousRevision: Int64
    /// The stdin's `changes`.
    var changes: [DemoChange]
}
