/// Writes variables as POSIX shell assignments: `export NAME='value'`, one per line, for
/// `eval "$(podmeta env --format sh)"` or `. ./pod.env`.
///
/// Every value is single-quoted, always: inside single quotes a POSIX shell (dash, bash,
/// busybox ash, zsh in sh mode) takes every byte literally, newlines, `$`, backticks,
/// backslashes and non-ASCII included, so the only byte needing care is `'` itself, which
/// is written as `'\''` (close the quote, an escaped quote, reopen). `$'...'` is never
/// used: dash and POSIX.1-2017 shells do not understand it.
///
/// What a shell cannot hold is refused rather than mangled: a NUL byte in a value (C
/// strings end there) and a name that is not a valid identifier.
public struct ShellExportRenderer: Sendable {
    public init() {}

    /// The script text as UTF-8 bytes; empty for no variables.
    public func render(_ variables: [EnvironmentVariable]) throws(EnvironmentRenderError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(variables.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 12 })
        for variable in variables {
            guard EnvironmentVariable.isValidName(variable.name) else {
                throw EnvironmentRenderError(
                    format: "sh", name: variable.name, source: variable.source, kind: .invalidName)
            }
            guard !variable.value.utf8.contains(0) else {
                throw EnvironmentRenderError(
                    format: "sh", name: variable.name, source: variable.source, kind: .containsNUL)
            }
            out.append(contentsOf: "export ".utf8)
            out.append(contentsOf: variable.name.utf8)
            out.append(UInt8(ascii: "="))
            ShellExportRenderer.appendQuoted(variable.value, to: &out)
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    /// `value` as one single-quoted shell word.
    public static func quoted(_ value: String) -> String {
        var out: [UInt8] = []
        appendQuoted(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func appendQuoted(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "'"))
        for byte in value.utf8 {
            if byte == UInt8(ascii: "'") {
                out.append(contentsOf: #"'\''"#.utf8)
            } else {
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "'"))
    }
}
