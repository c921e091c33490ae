/// A run of literal template text, with the offsets where a template line begins.
///
/// A partial included on a standalone line is indented line by line (the spec indents the
/// partial's *template* lines, not the lines of values it interpolates), so the parser
/// records where each surviving template line begins; lines removed as standalone tag lines
/// get no mark. Without indentation the marks cost nothing at render time.
struct MustacheText: Sendable {
    var bytes: [UInt8] = []
    /// Offsets into ``bytes`` (ascending, possibly equal to `bytes.count`) where indentation
    /// goes.
    var lineStarts: [Int] = []

    var isEmpty: Bool { bytes.isEmpty && lineStarts.isEmpty }
}
