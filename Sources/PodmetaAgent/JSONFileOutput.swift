import PodmetaIO
import PodmetaState

/// The merged JSON file for apps that read a config file.
package struct JSONFileOutput: SnapshotOutput {
    package let name = "json"
    package let path: String
    private let writer: AtomicFileWriter

    /// - Parameters:
    ///   - path: where to write the document.
    ///   - mode: permission bits of the file.
    ///   - forbiddenRoot: the watched volume, which is never written into.
    package init(path: String, mode: UInt32 = 0o644, forbiddenRoot: String?) {
        self.path = path
        self.writer = AtomicFileWriter(path: path, mode: mode, forbiddenRoot: forbiddenRoot)
    }

    package func write(_ published: PublishedSnapshot) throws {
        try writer.write(published.document)
    }
}
