import Glibc

/// Lexical path arithmetic on `/`-separated strings (no file-system access except
/// ``absolute(_:)``, which reads the working directory).
package enum PathNames {
    /// The path made absolute against the working directory and lexically cleaned (`.`
    /// and duplicate slashes removed, `..` folded), like Go's filepath.Abs.
    package static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return clean(path) }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return clean(path) }
        let cwd = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return clean(cwd + "/" + path)
    }

    /// Lexical cleanup like Go's filepath.Clean: `a//b/./c/../d` is `a/b/d`.
    package static func clean(_ path: String) -> String {
        let rooted = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !rooted {
                    parts.append(part)
                }
            default: parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        if rooted { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// The parent directory: `/a/b` gives `/a`, `/a` gives `/`, `b` gives `.`.
    package static func directory(of path: String) -> String {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        if slash == trimmed.startIndex { return "/" }
        return String(trimmed[..<slash])
    }

    /// The last component: `/a/b` gives `b`.
    package static func base(of path: String) -> String {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        guard let slash = trimmed.lastIndex(of: "/") else { return trimmed }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// Whether `path` is `root` or lies below it, comparing whole components (so `/a/bc`
    /// is not inside `/a/b`). Both must be absolute and clean.
    package static func isInside(_ path: String, root: String) -> Bool {
        if root == "/" { return true }
        return path == root || path.hasPrefix(root + "/")
    }

    /// The top-level names of item paths: `sub/x` gives `sub`.
    package static func topLevelNames(of paths: [String]) -> Set<String> {
        Set(
            paths.compactMap { path in
                clean(path).split(separator: "/").first.map(String.init)
            })
    }
}
