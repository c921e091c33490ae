/// A shell-style pattern on keys: `*` matches any run of characters (`/` included, so
/// `annotations/*` covers `example.com/x`), `?` exactly one character, everything else
/// itself. Kubernetes keys cannot contain `*` or `?`, so no escape syntax is needed.
struct KeyGlob: Sendable, Hashable {
    let pattern: String
    private let scalars: [Unicode.Scalar]

    init(_ pattern: String) {
        self.pattern = pattern
        scalars = Array(pattern.unicodeScalars)
    }

    /// Whether the pattern has no wildcard and so names exactly one key.
    var isLiteral: Bool { !scalars.contains("*") && !scalars.contains("?") }

    /// Iterative matching with one backtrack point (the last `*`): O(pattern × text) at
    /// worst, never exponential, whatever a config file holds.
    func matches(_ text: String) -> Bool {
        let input = Array(text.unicodeScalars)
        var p = 0
        var t = 0
        var star: Int?
        var resume = 0
        while t < input.count {
            if p < scalars.count && (scalars[p] == "?" || (scalars[p] != "*" && scalars[p] == input[t])) {
                p += 1
                t += 1
            } else if p < scalars.count && scalars[p] == "*" {
                star = p
                resume = t
                p += 1
            } else if let star {
                p = star + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while p < scalars.count && scalars[p] == "*" { p += 1 }
        return p == scalars.count
    }
}
