/// The content of a kubelet `metadata.labels` or `metadata.annotations` downward API file.
///
/// The kubelet writes such a map with `fieldpath.FormatMap`: keys sorted, one
/// `key="value"` line per entry where the value is Go's `%q` (`strconv.Quote`), lines
/// joined by `\n` without a trailing newline; an empty map is an empty file.
public struct KubeletMapFile: Sendable {
    /// The decoded map. A value that is not valid UTF-8 (Go strings may hold any bytes)
    /// has each ill-formed sequence replaced by U+FFFD, and a warning says so.
    ///
    /// Swift compares Strings by canonical equivalence, so two keys that differ only in
    /// Unicode normalization land on one entry (with a duplicate-key warning). Kubernetes
    /// keys are ASCII qualified names, so a kubelet-written file never does this.
    public var entries: [String: String]
    /// What was skipped (malformed lines, lenient mode only), replaced or overridden.
    public var warnings: [MapFileIssue]

    public init(entries: [String: String] = [:], warnings: [MapFileIssue] = []) {
        self.entries = entries
        self.warnings = warnings
    }

    /// Parses a map file.
    ///
    /// Lines are split on `\n` (a Go-quoted value never holds a raw newline); empty lines
    /// are skipped, so a hand-written file may end with a newline. Each line is split at its
    /// first `=`: the key is the raw bytes before it (non-empty, valid UTF-8) and the rest is
    /// decoded with `GoStringLiteral.unquote`. Work is linear in `bytes.count`: lines are
    /// views into the buffer, never copies of it.
    ///
    /// - Parameters:
    ///   - bytes: the whole file.
    ///   - path: the file's path, only used in issues.
    ///   - strict: whether a malformed line throws rather than being skipped with a warning.
    ///     So does raw invalid UTF-8 inside the quotes (which Go accepts but never writes);
    ///     escaped invalid UTF-8 and duplicate keys are warnings in both modes.
    /// - Throws: `MapFileError` for the first malformed line, in strict mode only.
    public static func parse(_ bytes: [UInt8], path: String, strict: Bool) throws(MapFileError) -> KubeletMapFile {
        let result: Result<KubeletMapFile, MapFileError> = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(MapFileError) -> KubeletMapFile in
                try parse(buffer: buffer, path: path, strict: strict)
            }
        }
        return try result.get()
    }

    private static func parse(
        buffer: UnsafeBufferPointer<UInt8>,
        path: String,
        strict: Bool
    ) throws(MapFileError) -> KubeletMapFile {
        let newline = UInt8(ascii: "\n")
        let equals = UInt8(ascii: "=")
        // One table keyed once per entry: the line is kept for duplicate-key warnings.
        var found: [String: (line: Int, value: String)] = [:]
        var warnings: [MapFileIssue] = []

        func report(_ line: Int, _ offset: Int, _ kind: MapFileIssue.Kind) throws(MapFileError) {
            let issue = MapFileIssue(path: path, line: line, byteOffset: offset, kind: kind)
            if strict && kind.failsStrictParsing { throw MapFileError(issue) }
            warnings.append(issue)
        }

        var lineStart = 0
        var lineNumber = 0
        while lineStart < buffer.count {
            lineNumber += 1
            let lineEnd = ByteScan.firstIndex(of: newline, in: buffer, from: lineStart, to: buffer.count)
            defer { lineStart = lineEnd + 1 }
            if lineEnd == lineStart { continue }

            let separator = ByteScan.firstIndex(of: equals, in: buffer, from: lineStart, to: lineEnd)
            guard separator < lineEnd else {
                try report(lineNumber, lineStart, .missingEquals)
                continue
            }
            guard separator > lineStart else {
                try report(lineNumber, lineStart, .emptyKey)
                continue
            }
            let keyBytes = UnsafeBufferPointer(rebasing: buffer[lineStart..<separator])
            if let bad = GoUTF8.firstInvalidIndex(keyBytes) {
                try report(lineNumber, lineStart + bad, .keyNotUTF8(keyBytes[bad]))
                continue
            }
            let key = String(decoding: keyBytes, as: UTF8.self)

            let valueStart = separator + 1
            let literal = UnsafeBufferPointer(rebasing: buffer[valueStart..<lineEnd])
            let decoded: GoStringLiteral.Decoded
            do {
                decoded = try GoStringLiteral.decode(literal)
            } catch {
                try report(lineNumber, valueStart + error.offset, .invalidValue(key: key, error.kind))
                continue
            }
            if let raw = decoded.firstRawInvalidByte {
                try report(lineNumber, valueStart + raw, .rawNotUTF8(key: key))
            } else if decoded.hasEscapedHighBytes,
                let badByte = decoded.bytes.withUnsafeBufferPointer({ GoUTF8.firstInvalidIndex($0) })
            {
                let source = GoStringLiteral.sourceOffset(ofOutputByte: badByte, in: literal) ?? 0
                try report(lineNumber, valueStart + source, .valueNotUTF8(key: key))
            }

            let value = String(decoding: decoded.bytes, as: UTF8.self)
            if let previous = found.updateValue((lineNumber, value), forKey: key) {
                try report(lineNumber, lineStart, .duplicateKey(key, previousLine: previous.line))
            }
        }
        // mapValues keeps the hash table as it is: no key is hashed again.
        return KubeletMapFile(entries: found.mapValues(\.value), warnings: warnings)
    }
}
