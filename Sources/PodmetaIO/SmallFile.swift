/// Whole-file reads of the small files podmeta is given: config files, templates, snapshot
/// documents.
public enum SmallFile {
    /// The file's bytes; more than `limit` bytes is an error (EFBIG), so a wrong path to a
    /// huge file cannot exhaust memory.
    public static func read(_ path: String, limit: Int) throws(ErrnoValue) -> [UInt8] {
        try Posix.readFile(path, limit: limit)
    }
}
