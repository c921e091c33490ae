import Glibc
import PodmetaState
import Testing

/// The names Prometheus' conventions (and `promtool check metrics`) expect, checked on every
/// family podmeta declares.
@Suite struct MetricCatalogTests {
    @Test func namesAreUniqueAndDeclaredOnce() {
        let names = Metric.all.map(\.name)
        #expect(Set(names).count == names.count, "\(names)")
    }

    @Test(arguments: Metric.all)
    func followsTheNamingConventions(_ metric: Metric) {
        let name = metric.name
        #expect(name.hasPrefix("podmeta_"))
        #expect(name.allSatisfy { ($0.isASCII && $0.isLowercase) || $0.isNumber || $0 == "_" }, "\(name)")
        #expect(!name.contains("__"))
        switch metric.kind {
        case .counter:
            #expect(name.hasSuffix("_total"), "a counter's name ends in _total: \(name)")
        case .gauge, .summary:
            #expect(!name.hasSuffix("_total"), "only counters end in _total: \(name)")
        }
        // `_sum`, `_count` and `_bucket` belong to the series of summaries and histograms.
        for suffix in ["_sum", "_count", "_bucket"] {
            #expect(!name.hasSuffix(suffix), "\(name)")
        }
        #expect(!metric.help.isEmpty && metric.help.hasSuffix("."))
        for label in metric.labelNames {
            #expect(!label.hasPrefix("__") && label.allSatisfy { $0.isLowercase || $0 == "_" }, "\(label)")
            // `quantile` and `le` are reserved for summaries and histograms.
            #expect(label != "quantile" && label != "le")
        }
        #expect(Set(metric.labelNames).count == metric.labelNames.count)
    }
}

/// README's Metrics table lists exactly the declared families, so the documentation cannot
/// drift from the catalog.
@Suite struct MetricDocumentationTests {
    @Test func readmeListsEveryFamilyAndNoOther() throws {
        // Tests/PodmetaStateTests/<file>.swift -> the package root.
        var root = #filePath
        for _ in 0..<3 { root = String(root[..<(root.lastIndex(of: "/") ?? root.startIndex)]) }
        let readme = try #require(readText(root + "/README.md"), "README.md not found at \(root)")
        let section = readme.components(between: "\n## Metrics\n", and: "\n## ")
        let documented = Set(
            section.split(separator: "\n").compactMap { line -> String? in
                guard line.hasPrefix("| `podmeta_") else { return nil }
                return line.dropFirst(3).prefix { $0 != "`" }.description
            })
        #expect(documented == Set(Metric.all.map(\.name)))
    }

    private func readText(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension String {
    /// The text after the first `start` up to the next `end` (empty if `start` is absent).
    fileprivate func components(between start: String, and end: String) -> Substring {
        guard let from = firstRange(of: start)?.upperBound else { return "" }
        return self[from...].firstRange(of: end).map { self[from..<$0.lowerBound] } ?? self[from...]
    }
}
