import PodmetaSystem
/// Whole-file reads of the small files podmeta is given: config files, templates, snapshot
/// documents.
public enum SmallFile {
    /// The file's bytes. More than `limit` bytes is an error, so a wrong path to a huge file
    /// cannot exhaust memory; anything but a regular file (after following symlinks) is
    /// refused without blocking, so a FIFO given by mistake cannot hang the command.
    public static func read(_ path: String, limit: Int) throws(FileReadError) -> [UInt8] {
        try Posix.readFile(path, limit: limit)
    }
}
