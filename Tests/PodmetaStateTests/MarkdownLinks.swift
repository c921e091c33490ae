/// The little of Markdown that link checking needs: inline link targets outside code, and
/// the anchors GitHub gives headings.
enum MarkdownLinks {
    /// The targets of `[text](target)` links, in order, outside fenced and inline code.
    static func targets(in text: String) -> [String] {
        var targets: [String] = []
        var fenced = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingPrefix(while: { $0 == " " }).hasPrefix("```") {
                fenced.toggle()
                continue
            }
            if fenced { continue }
            // Drop inline code spans, then read each `](` up to its `)`.
            let prose = line.split(separator: "`", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset.isMultiple(of: 2) }.map(\.element).joined(separator: " ")
            var rest = Substring(prose)
            while let open = rest.firstRange(of: "](") {
                let after = rest[open.upperBound...]
                guard let close = after.firstIndex(where: { $0 == ")" || $0 == " " }) else { break }
                targets.append(String(after[..<close]))
                rest = after[close...]
            }
        }
        return targets
    }

    /// `path#fragment` into its path (possibly empty) and fragment.
    static func split(_ link: String) -> (path: String, fragment: String?) {
        guard let hash = link.firstIndex(of: "#") else { return (link, nil) }
        return (String(link[..<hash]), String(link[link.index(after: hash)...]))
    }

    /// A relative path seen from a directory (both relative to the repository root), nil
    /// when it climbs above the root.
    static func resolve(_ path: String, from directory: String) -> String? {
        var parts = directory.split(separator: "/").map(String.init)
        for part in path.split(separator: "/").map(String.init) {
            switch part {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(part)
            }
        }
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    /// GitHub's anchors of a page's headings: lower-cased, spaces to `-`, every character but
    /// letters, digits, `-` and `_` dropped; a repeated anchor gets `-1`, `-2`, ...
    static func anchors(in page: String) -> [String] {
        var anchors: [String] = []
        var seen: [String: Int] = [:]
        var fenced = false
        for line in page.split(separator: "\n") {
            if line.hasPrefix("```") { fenced.toggle() }
            guard !fenced, line.hasPrefix("#") else { continue }
            let title = line.drop { $0 == "#" }.drop { $0 == " " }
            var anchor = String(
                title.lowercased().compactMap { character -> Character? in
                    if character == " " { return "-" }
                    return character.isLetter || character.isNumber || character == "-" || character == "_"
                        ? character : nil
                })
            if let count = seen[anchor] {
                seen[anchor] = count + 1
                anchor += "-\(count + 1)"
            } else {
                seen[anchor] = 0
            }
            anchors.append(anchor)
        }
        return anchors
    }
}
