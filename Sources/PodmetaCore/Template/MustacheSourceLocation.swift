/// Where a tag starts in its template: 1-based line and column (in Unicode scalars).
struct MustacheSourceLocation: Sendable, Hashable {
    var line: Int
    var column: Int
}
