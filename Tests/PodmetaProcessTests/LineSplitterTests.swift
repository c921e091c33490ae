import Testing

@testable import PodmetaProcess

extension PodmetaProcessTests {
    @Suite struct LineSplitterTests {
        struct Row: Sendable, CustomTestStringConvertible {
            var chunks: [String]
            var maximum: Int
            /// Delivered lines; a trailing "…" marks a truncated one.
            var lines: [String]
            var testDescription: String { "\(chunks) max \(maximum)" }
        }

        static let rows: [Row] = [
            Row(chunks: ["a\nb\n"], maximum: 10, lines: ["a", "b"]),
            Row(chunks: ["a", "b", "\nc"], maximum: 10, lines: ["ab", "c"]),
            Row(chunks: ["\n\n"], maximum: 10, lines: ["", ""]),
            Row(chunks: ["abcdef\ngh\n"], maximum: 3, lines: ["abc…", "gh"]),
            Row(chunks: ["ab", "cd", "ef", "\nx"], maximum: 3, lines: ["abc…", "x"]),
            Row(chunks: ["abcd"], maximum: 4, lines: ["abcd"]),
            Row(chunks: ["abcde"], maximum: 4, lines: ["abcd…"]),
            Row(chunks: [], maximum: 4, lines: []),
        ]

        @Test(arguments: rows)
        func splitsAndBounds(_ row: Row) {
            var splitter = LineSplitter(maximumLength: row.maximum)
            var lines: [String] = []
            let collect = { (bytes: [UInt8], truncated: Bool) in
                lines.append(String(decoding: bytes, as: UTF8.self) + (truncated ? "…" : ""))
            }
            for chunk in row.chunks { splitter.feed(Array(chunk.utf8)[...], line: collect) }
            splitter.finish(line: collect)
            #expect(lines == row.lines)
        }
    }
}
