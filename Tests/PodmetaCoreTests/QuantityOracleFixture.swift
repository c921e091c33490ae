import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Fixtures/quantity-oracle.tsv: what the real Go `resource.ParseQuantity` made of every
/// ported table input and 4,000 seeded-random strings (see Fixtures/quantity-oracle/README.md).
/// Found next to this file, so no Package.swift resource declaration is needed.
enum QuantityOracleFixture {
    struct Row: Sendable, CustomTestStringConvertible {
        var input: String
        var accepted: Bool
        /// Upstream `String()`, or the error text.
        var string: String
        var value: Int64?
        var milliValue: Int64?
        var format: String
        /// `AsDec().String()` with trailing fractional zeros removed; nil when omitted.
        var exact: String?
        /// `String()` recomputed with the parse-time cache cleared.
        var recomputed: String

        var testDescription: String { input.debugDescription }
    }

    static let path: String = {
        let file = #filePath
        return String(file[..<(file.lastIndex(of: "/") ?? file.startIndex)]) + "/Fixtures/quantity-oracle.tsv"
    }()

    /// Every row; empty when the file cannot be read (a test then fails on the count).
    static let rows: [Row] = {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return String(decoding: data, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: true)
            .compactMap { line in
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                guard fields.count == 8 else { return nil }
                return Row(
                    input: fields[0], accepted: fields[1] == "ok", string: fields[2],
                    value: Int64(fields[3]), milliValue: Int64(fields[4]), format: fields[5],
                    exact: fields[6] == "<omitted>" ? nil : trimmingFractionZeros(fields[6]),
                    recomputed: fields[7])
            }
    }()

    /// inf.Dec prints its scale's worth of fraction digits (`1.500000000`); we do not.
    static func trimmingFractionZeros(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var trimmed = Substring(text)
        while trimmed.hasSuffix("0") { trimmed = trimmed.dropLast() }
        if trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }
}
