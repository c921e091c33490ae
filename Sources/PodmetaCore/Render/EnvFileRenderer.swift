/// Writes variables as `NAME=value` lines for `docker run --env-file` and systemd's
/// `EnvironmentFile=`.
///
/// The two readers disagree about quotes, which is why the format is literal:
///
/// - Docker (`docker run --env-file`, the CLI's `pkg/kvfile`) takes everything after the
///   first `=` verbatim, quotes and surrounding whitespace included: `A="x"` gives the value
///   `"x"` with the quotes. It drops a trailing carriage return (Go's line scanner) and
///   rejects lines over 64 KiB.
/// - systemd strips one level of `'...'` or `"..."` quoting when the value *starts* with a
///   quote, treats `\` as an escape outside single quotes, drops whitespace around an
///   unquoted value, and ends a line at a carriage return as well as a line feed.
///
/// Quoting would therefore put quote characters into every Docker value, while unquoted
/// `NAME=value` lines mean the same to both readers for every value without line breaks,
/// surrounding whitespace, a leading quote or a backslash. Values with a line feed or a
/// carriage return cannot be written at all: ``render(_:)`` refuses them with an error naming
/// the variable, and ``EnvironmentFormat`` leaves them out of the file with an issue (pick
/// `--format sh` or `json` for those). Values with surrounding whitespace, a leading quote
/// or a backslash are written literally, which is exactly right for Docker;
/// ``systemdReadsDifferently(_:)`` tells which values systemd would alter, and
/// ``EnvironmentFormat`` warns about each once.
public struct EnvFileRenderer: Sendable {
    public init() {}

    /// The file content, one `NAME=value` line per variable.
    public func render(_ variables: [EnvironmentVariable]) throws(EnvironmentRenderError) -> [UInt8] {
        var out: [UInt8] = []
        for variable in variables {
            if let problem = EnvFileRenderer.problem(with: variable) { throw problem }
            out.append(contentsOf: variable.name.utf8)
            out.append(UInt8(ascii: "="))
            out.append(contentsOf: variable.value.utf8)
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    /// Why `variable` cannot be written, or nil when it can; lets a caller leave such
    /// variables out instead of failing the whole file.
    public static func problem(with variable: EnvironmentVariable) -> EnvironmentRenderError? {
        func error(_ kind: EnvironmentRenderError.Kind) -> EnvironmentRenderError {
            EnvironmentRenderError(format: "env-file", name: variable.name, source: variable.source, kind: kind)
        }
        guard EnvironmentVariable.isValidName(variable.name) else { return error(.invalidName) }
        for byte in variable.value.utf8 {
            switch byte {
            case 0: return error(.containsNUL)
            case 0x0A: return error(.lineFeed)
            case 0x0D: return error(.carriageReturn)
            default: continue
            }
        }
        return nil
    }

    /// Whether systemd's `EnvironmentFile=` parser would read `NAME=value` as something other
    /// than `value`: it strips leading and trailing spaces and tabs, removes quotes around a
    /// value that starts with `'` or `"`, and consumes backslashes as escapes.
    public static func systemdReadsDifferently(_ value: String) -> Bool {
        guard let first = value.utf8.first, let last = value.utf8.last else { return false }
        let whitespace: Set<UInt8> = [UInt8(ascii: " "), UInt8(ascii: "\t")]
        if whitespace.contains(first) || whitespace.contains(last) { return true }
        if first == UInt8(ascii: "'") || first == UInt8(ascii: "\"") { return true }
        return value.utf8.contains(UInt8(ascii: "\\"))
    }
}
