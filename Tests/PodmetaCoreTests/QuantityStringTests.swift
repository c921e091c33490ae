import Testing

@testable import PodmetaCore

/// Canonical form: ports of upstream `TestQuantityString`, `TestQuantityParseEmit`,
/// `TestParseQuantity` (the min/max int64 boundary table), `TestQuantityNeg` and the
/// New*/Set* formatting tables, plus the examples and deviations of `reference/quantity.md`.
@Suite struct QuantityStringTests {
    struct StringRow: Sendable, CustomTestStringConvertible {
        var value: Int64
        var exponent: Int
        var format: Quantity.Format
        var expect: String
        var alternate: String
        var testDescription: String { "\(value)e\(exponent) \(format.rawValue) -> \(expect)" }
        init(_ value: Int64, _ exponent: Int, _ format: Quantity.Format, _ expect: String, _ alternate: String) {
            self.value = value
            self.exponent = exponent
            self.format = format
            self.expect = expect
            self.alternate = alternate
        }
    }

    /// TestQuantityString: decQuantity(value, exponent, format) prints `expect`; `expect`
    /// parses back to itself, and `alternate` parses to something printing `expect`.
    static let stringTable: [StringRow] = [
        StringRow(1024 * 1024 * 1024, 0, .binarySI, "1Gi", "1024Mi"),
        StringRow(300 * 1024 * 1024, 0, .binarySI, "300Mi", "307200Ki"),
        StringRow(6 * 1024, 0, .binarySI, "6Ki", ""),
        StringRow(1001 * 1024 * 1024 * 1024, 0, .binarySI, "1001Gi", "1025024Mi"),
        StringRow(1024 * 1024 * 1024 * 1024, 0, .binarySI, "1Ti", "1024Gi"),
        StringRow(5, 0, .binarySI, "5", "5000m"),
        StringRow(500, -3, .binarySI, "500m", "0.5"),
        StringRow(1, 9, .decimalSI, "1G", "1000M"),
        StringRow(1000, 6, .decimalSI, "1G", "0.001T"),
        StringRow(1_000_000, 3, .decimalSI, "1G", ""),
        StringRow(1_000_000_000, 0, .decimalSI, "1G", ""),
        StringRow(1, -3, .decimalSI, "1m", "1000u"),
        StringRow(80, -3, .decimalSI, "80m", ""),
        StringRow(1080, -3, .decimalSI, "1080m", "1.08"),
        StringRow(108, -2, .decimalSI, "1080m", "1080000000n"),
        StringRow(10800, -4, .decimalSI, "1080m", ""),
        StringRow(300, 6, .decimalSI, "300M", ""),
        StringRow(1, 12, .decimalSI, "1T", ""),
        StringRow(1_234_567, 6, .decimalSI, "1234567M", ""),
        StringRow(1_234_567, -3, .binarySI, "1234567m", ""),
        StringRow(3, 3, .decimalSI, "3k", ""),
        StringRow(1025, 0, .binarySI, "1025", ""),
        StringRow(0, 0, .decimalSI, "0", ""),
        StringRow(0, 0, .binarySI, "0", ""),
        StringRow(1, 9, .decimalExponent, "1e9", ".001e12"),
        StringRow(1, -3, .decimalExponent, "1e-3", "0.001e0"),
        StringRow(1, -9, .decimalExponent, "1e-9", "1000e-12"),
        StringRow(80, -3, .decimalExponent, "80e-3", ""),
        StringRow(300, 6, .decimalExponent, "300e6", ""),
        StringRow(1, 12, .decimalExponent, "1e12", ""),
        StringRow(1, 3, .decimalExponent, "1e3", ""),
        StringRow(3, 3, .decimalExponent, "3e3", ""),
        StringRow(3, 3, .decimalSI, "3k", ""),
        StringRow(0, 0, .decimalExponent, "0", "00"),
        StringRow(1, -9, .decimalSI, "1n", ""),
        StringRow(80, -9, .decimalSI, "80n", ""),
        StringRow(1080, -9, .decimalSI, "1080n", ""),
        StringRow(108, -8, .decimalSI, "1080n", ""),
        StringRow(10800, -10, .decimalSI, "1080n", ""),
        StringRow(1, -6, .decimalSI, "1u", ""),
        StringRow(80, -6, .decimalSI, "80u", ""),
        StringRow(1080, -6, .decimalSI, "1080u", ""),
    ]

    @Test(arguments: stringTable)
    func printsCanonically(_ row: StringRow) throws {
        let quantity = Quantity(row.value, exponent: row.exponent, format: row.format)
        #expect(quantity.canonical == row.expect)
        #expect(quantity.description == row.expect)
        let reparsed = try Quantity(parsing: row.expect)
        #expect(reparsed.canonical == row.expect)
        // Upstream caches a canonical input as its String(); the emulation must agree.
        #expect(reparsed.upstreamString(parsedFrom: row.expect) == row.expect)
        if !row.alternate.isEmpty {
            let alternate = try Quantity(parsing: row.alternate)
            #expect(alternate.canonical == row.expect)
            #expect(alternate == quantity)
        }
        if !quantity.isZero {
            #expect((-quantity).canonical == "-" + row.expect)
        }
    }

    /// TestQuantityParseEmit, and its negated loop.
    @Test(arguments: [
        ("1Ki", "1Ki"), ("1Mi", "1Mi"), ("1Gi", "1Gi"), ("1024Mi", "1Gi"), ("1000M", "1G"),
        (".001Ki", "1024m"), (".000001Ki", "1024u"), (".000000001Ki", "1024n"), (".000000000001Ki", "2n"),
    ])
    func parseEmit(input: String, expect: String) throws {
        #expect(try Quantity(parsing: input).canonical == expect)
        #expect(try Quantity(parsing: "-" + input).canonical == "-" + expect)
    }

    /// TestParseQuantity: the min/max int64 boundary table (input, exact value, canonical;
    /// an empty canonical means the input itself).
    @Test(arguments: [
        ("-999999999999999999", "-999999999999999999", ""),
        ("999999999999999999", "999999999999999999", ""),
        ("-999999999999999999.0", "-999999999999999999", "-999999999999999999"),
        ("999999999999999999.0", "999999999999999999", "999999999999999999"),
        ("-999999999999999999.1", "-999999999999999999.1", "-999999999999999999100m"),
        ("999999999999999999.1", "999999999999999999.1", "999999999999999999100m"),
        ("-9999999999999999999", "-9999999999999999999", ""),
        ("9999999999999999999", "9999999999999999999", ""),
        ("-1E", "-1000000000000000000", ""),
        ("1E", "1000000000000000000", ""),
        ("-1000000000000000000", "-1000000000000000000", "-1E"),
        ("1000000000000000000", "1000000000000000000", "1E"),
        ("-9999999999999999999.0", "-9999999999999999999", "-9999999999999999999"),
        ("9999999999999999999.0", "9999999999999999999", "9999999999999999999"),
        ("-1.0E", "-1000000000000000000", "-1E"),
        ("1.0E", "1000000000000000000", "1E"),
        ("-1000000000000000000.0", "-1000000000000000000", "-1E"),
        ("1000000000000000000.0", "1000000000000000000", "1E"),
        ("-9999999999999999999000m", "-9999999999999999999", "-9999999999999999999"),
        ("9999999999999999999000m", "9999999999999999999", "9999999999999999999"),
        ("-9999999999999999999.1", "-9999999999999999999.1", "-9999999999999999999100m"),
        ("9999999999999999999.1", "9999999999999999999.1", "9999999999999999999100m"),
        ("-1.0000000000000000001E", "-1000000000000000000.1", "-1000000000000000000100m"),
        ("1.0000000000000000001E", "1000000000000000000.1", "1000000000000000000100m"),
        ("-1000000000000000000.1", "-1000000000000000000.1", "-1000000000000000000100m"),
        ("1000000000000000000.1", "1000000000000000000.1", "1000000000000000000100m"),
        ("-1.000000000000000001E", "-1000000000000000001", "-1000000000000000001"),
        ("1.000000000000000001E", "1000000000000000001", "1000000000000000001"),
        ("-1000000000000000001", "-1000000000000000001", ""),
        ("1000000000000000001", "1000000000000000001", ""),
        ("-10E", "-10000000000000000000", ""),
        ("10E", "10000000000000000000", ""),
        ("-10000000000000000000", "-10000000000000000000", "-10E"),
        ("10000000000000000000", "10000000000000000000", "10E"),
        ("-10.0E", "-10000000000000000000", "-10E"),
        ("10.0E", "10000000000000000000", "10E"),
        ("-10000000000000000000.0", "-10000000000000000000", "-10E"),
        ("10000000000000000000.0", "10000000000000000000", "10E"),
        ("-10000000000000000000000m", "-10000000000000000000", "-10E"),
        ("10000000000000000000000m", "10000000000000000000", "10E"),
        ("-10.0000000000000000001E", "-10000000000000000000.1", "-10000000000000000000100m"),
        ("10.0000000000000000001E", "10000000000000000000.1", "10000000000000000000100m"),
        ("-10000000000000000000.1", "-10000000000000000000.1", "-10000000000000000000100m"),
        ("10000000000000000000.1", "10000000000000000000.1", "10000000000000000000100m"),
        ("-10.000000000000000001E", "-10000000000000000001", "-10000000000000000001"),
        ("10.000000000000000001E", "10000000000000000001", "10000000000000000001"),
        ("-10000000000000000001", "-10000000000000000001", ""),
        ("10000000000000000001", "10000000000000000001", ""),
        ("-9223372036854775809", "-9223372036854775809", ""),
        ("9223372036854775806", "9223372036854775806", ""),
        ("-9223372036854775809.0", "-9223372036854775809", "-9223372036854775809"),
        ("9223372036854775806.0", "9223372036854775806", "9223372036854775806"),
        ("-9223372036854775809000m", "-9223372036854775809", "-9223372036854775809"),
        ("9223372036854775806000m", "9223372036854775806", "9223372036854775806"),
        ("-9223372036854775809.1", "-9223372036854775809.1", "-9223372036854775809100m"),
        ("9223372036854775806.1", "9223372036854775806.1", "9223372036854775806100m"),
        ("-9223372036854775808", "-9223372036854775808", ""),
        ("9223372036854775807", "9223372036854775807", ""),
        ("-9223372036854775808.0", "-9223372036854775808", "-9223372036854775808"),
        ("9223372036854775807.0", "9223372036854775807", "9223372036854775807"),
        ("-9223372036854775808000m", "-9223372036854775808", "-9223372036854775808"),
        ("9223372036854775807000m", "9223372036854775807", "9223372036854775807"),
        ("-9223372036854775808.1", "-9223372036854775808.1", "-9223372036854775808100m"),
        ("9223372036854775807.1", "9223372036854775807.1", "9223372036854775807100m"),
        ("-9223372036854775807", "-9223372036854775807", ""),
        ("9223372036854775808", "9223372036854775808", ""),
        ("-9223372036854775807.0", "-9223372036854775807", "-9223372036854775807"),
        ("9223372036854775808.0", "9223372036854775808", "9223372036854775808"),
        ("-9223372036854775807000m", "-9223372036854775807", "-9223372036854775807"),
        ("9223372036854775808000m", "9223372036854775808", "9223372036854775808"),
        ("-9223372036854775807.1", "-9223372036854775807.1", "-9223372036854775807100m"),
        ("9223372036854775808.1", "9223372036854775808.1", "9223372036854775808100m"),
    ])
    func int64Boundaries(input: String, exact: String, canonical: String) throws {
        let quantity = try Quantity(parsing: input)
        #expect(quantity.exact == exact)
        #expect(quantity.canonical == (canonical.isEmpty ? input : canonical))
    }

    /// TestQuantityNeg.
    @Test func negationPrintsWithMinus() {
        let quantity = Quantity(901, exponent: -2)
        #expect((-quantity).canonical == "-9010m")
        #expect(-quantity != quantity)
        #expect(-(-quantity) == quantity)
        #expect((-Quantity.zero).canonical == "0")
    }

    /// TestNewSet, TestMilliNewSet, TestNewScaledSet: constructed values print as upstream's
    /// and round-trip through their scaled value. (Upstream maps an invalid Format to
    /// DecimalExponent; ours is an enum, so those rows use .decimalExponent directly.)
    @Test(arguments: [
        (Int64(1), 0, Quantity.Format.decimalSI, "1"),
        (1000, 0, .decimalSI, "1k"),
        (1_234_000, 0, .decimalSI, "1234k"),
        (1024, 0, .binarySI, "1Ki"),
        (1_000_000, 0, .decimalExponent, "1e6"),
        (1024 * 1024, 0, .binarySI, "1Mi"),
        (1, -3, .decimalSI, "1m"),
        (1000, -3, .decimalSI, "1"),
        (1_234_000, -3, .decimalSI, "1234"),
        (1024, -3, .binarySI, "1024m"),
        (1_000_000, -3, .decimalExponent, "1e3"),
        (1024 * 1024, -3, .binarySI, "1048576m"),
        (1, -9, .decimalSI, "1n"),
        (1000, -9, .decimalSI, "1u"),
        (1, -6, .decimalSI, "1u"),
        (1000, -6, .decimalSI, "1m"),
        (1000, -3, .decimalSI, "1"),
        (0, -9, .decimalSI, "0"),
        (0, -6, .decimalSI, "0"),
        (0, -3, .decimalSI, "0"),
        (0, 0, .decimalSI, "0"),
    ])
    func constructedQuantities(value: Int64, exponent: Int, format: Quantity.Format, expect: String) throws {
        let quantity = Quantity(value, exponent: exponent, format: format)
        #expect(quantity.canonical == expect)
        let reparsed = try Quantity(parsing: expect)
        #expect(reparsed.scaledValue(exponent: exponent) == value)
        #expect(reparsed == quantity)
    }

    /// `reference/quantity.md`, "Canonical form".
    @Test(arguments: [
        ("1.5Gi", "1536Mi"), ("1.1Ki", "1126400m"), ("0.5Ki", "512"), ("1.08", "1080m"), ("1000M", "1G"),
        ("0.001T", "1G"), ("1000u", "1m"), ("1e3", "1e3"), ("1000e0", "1e3"), ("1e100", "10e99"),
        ("1.2e3", "1200"), ("0", "0"), ("-0", "0"), ("0Ki", "0"), ("0e5", "0"), ("128Mi", "128Mi"), ("500m", "500m"),
        ("2Gi", "2Gi"), ("1", "1"), ("8Ei", "9223372036854775807"), ("7Ei", "7Ei"), ("9Ei", "9223372036854775807"),
        ("1024Ei", "9223372036854775807"),
        ("1Ei", "1Ei"), ("1536Ki", "1536Ki"), ("1.5e-3", "1500e-6"), ("12e500", "1200e498"), ("1E-0", "1"),
        ("0.1n", "1n"), ("100E", "100E"), ("1234E", "1234E"), ("12345E", "12345E"),
    ])
    func canonicalExamples(input: String, canonical: String) throws {
        #expect(try Quantity(parsing: input).canonical == canonical)
    }

    /// Deliberate deviations from upstream `String()` (quantity.md, rules 4 and 5).
    @Test(arguments: [
        // Upstream echoes the input; we print the computed canonical form.
        ("+1", "+1", "1"), ("007", "007", "7"), ("1.441", "1.441", "1441m"), ("1e0", "1e0", "1"),
        ("1E3", "1E3", "1e3"), ("01Ki", "01Ki", "1Ki"), ("1.", "1.", "1"), ("+1Mi", "+1Mi", "1Mi"),
        // Upstream drops the suffix beyond E; we print exponent form.
        ("1000E", "1", "1e21"), ("100000E", "100", "100e21"), ("1000000E", "1", "1e24"),
        ("10000000000000000000000", "10", "10e21"), ("-1000E", "-1", "-1e21"),
    ])
    func deviationsFromUpstreamString(input: String, upstream: String, ours: String) throws {
        let quantity = try Quantity(parsing: input)
        #expect(quantity.canonical == ours)
        #expect(quantity.upstreamString(parsedFrom: input) == upstream)
    }

    /// Binary SI beyond Ei (only reachable by multiplication, since parsing caps at 2^63-1)
    /// stays in Ei instead of upstream's suffix-less mantissa.
    @Test func binaryBeyondExbi() throws {
        let big = try Quantity(parsing: "8Ei").multiplied(by: 1024)
        #expect(big.exact == "9444732965739290426368")  // (2^63 - 1) * 1024
        #expect(big.canonical == "9223372036854775807Ki")
        let power = try Quantity(parsing: "4Ei").multiplied(by: 2048)
        #expect(power.canonical == "8192Ei")
        #expect(power.upstreamCanonical == "8")
    }

    @Test func formatCanBeChanged() throws {
        var quantity = try Quantity(parsing: "1048576")
        #expect(quantity.canonical == "1048576")
        quantity.format = .binarySI
        #expect(quantity.canonical == "1Mi")
        quantity.format = .decimalExponent
        #expect(quantity.canonical == "1048576")
        quantity = try Quantity(parsing: "1M")
        quantity.format = .decimalExponent
        #expect(quantity.canonical == "1e6")
    }
}
