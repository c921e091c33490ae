/// A malformed line in a kubelet map file, thrown by `KubeletMapFile.parse` in strict mode.
public struct MapFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where and what; `issue.kind.failsStrictParsing` is always true.
    public var issue: MapFileIssue

    public init(_ issue: MapFileIssue) { self.issue = issue }

    /// The file, as the caller named it.
    public var path: String { issue.path }
    /// 1-based line number.
    public var line: Int { issue.line }
    /// Offset of the problem in the file, in bytes from its start.
    public var byteOffset: Int { issue.byteOffset }
    /// What is wrong.
    public var kind: MapFileIssue.Kind { issue.kind }
    /// What is wrong, in words, without path, line or offset.
    public var reason: String { issue.reason }

    /// One sentence, e.g.
    /// `/etc/podinfo/annotations:3: invalid escape "\e" in value of "example.com/x" at byte 57`.
    public var description: String { issue.description }
}
