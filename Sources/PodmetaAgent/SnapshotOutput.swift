import PodmetaState

/// Something the agent keeps in step with the snapshot: the JSON file, the env file, a
/// rendered template.
///
/// `write` is called after every published revision and again on resync when a previous
/// write failed; it must leave the previous content intact when it fails.
package protocol SnapshotOutput: Sendable {
    /// What to call it in logs and metrics (`json`, `env-file`, `template:/etc/app.ini`).
    var name: String { get }
    /// The file it writes, for logs.
    var path: String { get }
    func write(_ published: PublishedSnapshot) throws
}
