import Logging
import PodmetaCore
import PodmetaIO
import PodmetaState
import Synchronization

/// The snapshot's variables as a file a shell entrypoint sources (`sh`), or Docker and
/// systemd read (`env-file`).
package struct EnvFileOutput: SnapshotOutput {
    package let name = "env-file"
    package let path: String
    private let format: EnvironmentFormat
    private let naming: EnvironmentNaming
    private let writer: AtomicFileWriter
    private let logger: Logger
    /// Issues already logged: a value left out is said once, not on every publish.
    private let reported = IssueMemory()

    package init(
        path: String, format: EnvironmentFormat, naming: EnvironmentNaming, mode: UInt32 = 0o644,
        forbiddenRoot: String?,
        logger: Logger
    ) {
        self.path = path
        self.logger = logger
        self.format = format
        self.naming = naming
        self.writer = AtomicFileWriter(path: path, mode: mode, forbiddenRoot: forbiddenRoot)
    }

    package func write(_ published: PublishedSnapshot) throws {
        let (bytes, issues) = try format.render(published.snapshot, naming: naming)
        // The file still holds every other variable; what was left out is said (once per
        // key), never silently merged.
        for issue in reported.fresh(issues) {
            logger.warning("\(issue)", metadata: ["path": "\(path)", "revision": "\(published.revision)"])
        }
        try writer.write(bytes)
    }
}

/// An ``IssueLedger`` shared by the copies of an output.
final class IssueMemory: Sendable {
    private let ledger = Mutex(IssueLedger())

    func fresh(_ issues: [EnvironmentIssue]) -> [EnvironmentIssue] {
        ledger.withLock { $0.fresh(issues) }
    }
}
