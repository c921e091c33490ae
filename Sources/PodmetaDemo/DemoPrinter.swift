import Glibc
import PodmetaCore
import PodmetaSystem

/// The demo's terminal output: short headings, two-space indentation, and colour only on a
/// terminal (never when `NO_COLOR` is set, https://no-color.org).
///
/// Writes with write(2), unbuffered, so lines keep their order with what the agent and its
/// hooks write to the same terminal.
package struct DemoPrinter: Sendable {
    enum Style: String, Sendable {
        case bold = "1"
        case dim = "2"
        case red = "31"
        case green = "32"
        case yellow = "33"
        case cyan = "36"
    }

    let colors: Bool

    /// Colour when stdout is a terminal and NO_COLOR is unset or empty.
    package static func colorsWanted() -> Bool {
        guard isatty(1) == 1 else { return false }
        if let noColor = getenv("NO_COLOR"), noColor.pointee != 0 { return false }
        return true
    }

    func styled(_ text: String, _ style: Style) -> String {
        colors ? "\u{1B}[\(style.rawValue)m" + text + "\u{1B}[0m" : text
    }

    /// A blank line, then the heading.
    func heading(_ text: String) {
        write("\n" + styled("== " + text + " ==", .bold) + "\n")
    }

    func line(_ text: String = "", indent: Int = 0) {
        write(String(repeating: " ", count: indent) + text + "\n")
    }

    /// A name (a consumer, a path's role) in a column of its own, then the rest of the line.
    func entry(_ name: String, _ rest: String) {
        line(styled(name.padding(to: 10), .cyan) + " " + rest, indent: 2)
    }

    /// A command a person can paste, after a `$ ` prompt.
    func command(_ text: String, indent: Int) {
        line(styled("$ " + text, .dim), indent: indent)
    }

    /// Every line of `text` indented; lines for which `highlight` holds stand out.
    func block(_ text: String, indent: Int, highlight: (String) -> Bool = { _ in false }) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        for text in lines {
            line(highlight(text) ? styled(text, .yellow) : text, indent: indent)
        }
    }

    func success(_ text: String, indent: Int = 2) {
        line(styled(text, .green), indent: indent)
    }

    func failure(_ text: String, indent: Int = 2) {
        line(styled(text, .red), indent: indent)
    }

    /// Changes as aligned lines: `labels/version   "1" -> "2"`.
    func changes(_ changes: [DemoChange], indent: Int, note: (DemoChange) -> String? = { _ in nil }) {
        let width = changes.map(\.path.count).max() ?? 0
        for change in changes {
            line(change.path.padding(to: width) + "  " + DemoPrinter.describe(change), indent: indent)
            if let extra = note(change) { line(styled("(" + extra + ")", .dim), indent: indent + 2) }
        }
    }

    /// `"1" -> "2"`, `added "blue"`, `removed (was "blue")`, values JSON-quoted and
    /// shortened to one screen line.
    static func describe(_ change: DemoChange) -> String {
        switch (change.old, change.new) {
        case (let old?, let new?): "\(quoted(old)) -> \(quoted(new))"
        case (nil, let new?): "added \(quoted(new))"
        case (let old?, nil): "removed (was \(quoted(old)))"
        case (nil, nil): "unchanged"
        }
    }

    /// `value` as a JSON string, its middle elided past `limit` characters.
    static func quoted(_ value: String, limit: Int = 48) -> String {
        let text = JSONRenderer(style: .compact).string(.string(value))
        guard text.count > limit else { return text }
        return String(text.prefix(limit - 4)) + "...\""
    }

    /// `HH:MM:SS` in local time.
    static func clock() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        return [parts.tm_hour, parts.tm_min, parts.tm_sec].map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: ":")
    }

    private func write(_ text: String) {
        StandardOutput.write(text)
    }
}
