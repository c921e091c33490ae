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

    /// A scrape's HELP line is where an operator learns the `reason` values: it names every one
    /// the server counts, the `stalled` cut-off of a watch client included.
    @Test(arguments: ["limit", "uid", "stalled"])
    func theRejectionHelpNamesEveryReason(_ reason: String) {
        #expect(Metric.socketRejectionReasons.contains(reason))
        #expect(Metric.socketRejections.help.contains(reason), "\(Metric.socketRejections.help)")
    }
}

/// docs/metrics.md's table lists exactly the declared families, so the documentation cannot
/// drift from the catalog.
@Suite struct MetricDocumentationTests {
    @Test func theMetricsPageListsEveryFamilyAndNoOther() throws {
        let page = try #require(
            RepositoryDocuments.text("docs/metrics.md"), "docs/metrics.md not found at \(RepositoryDocuments.root)")
        let documented = Set(
            page.split(separator: "\n").compactMap { line -> String? in
                guard line.hasPrefix("| `podmeta_") else { return nil }
                return line.dropFirst(3).prefix { $0 != "`" }.description
            })
        #expect(documented == Set(Metric.all.map(\.name)))
    }

    @Test func theRejectionRowNamesEveryReason() throws {
        let page = try #require(RepositoryDocuments.text("docs/metrics.md"))
        let row = try #require(
            page.split(separator: "\n").first { $0.hasPrefix("| `\(Metric.socketRejections.name)`") })
        for reason in Metric.socketRejectionReasons {
            #expect(row.contains("`\(reason)`"), "\(row)")
        }
    }
}
