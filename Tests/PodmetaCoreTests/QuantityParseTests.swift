import Testing

@testable import PodmetaCore

/// Port of upstream `TestQuantityParse` (quantity_test.go), including its loops that re-run
/// every row with the parts re-assembled, negated, and with an explicit `+`, plus
/// `TestQuantityParseZero`, `TestParseQuantityString` and the example tests.
@Suite struct QuantityParseTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var input: String
        /// Upstream's expected inf.Dec, as a plain decimal.
        var exact: String
        var format: Quantity.Format
        var testDescription: String { input }
        init(_ input: String, _ exact: String, _ format: Quantity.Format) {
            self.input = input
            self.exact = exact
            self.format = format
        }
    }

    static let table: [Row] = [
        Row("0", "0", .decimalSI),
        Row("0n", "0", .decimalSI),
        Row("0u", "0", .decimalSI),
        Row("0m", "0", .decimalSI),
        Row("0Ki", "0", .binarySI),
        Row("0k", "0", .decimalSI),
        Row("0Mi", "0", .binarySI),
        Row("0M", "0", .decimalSI),
        Row("0Gi", "0", .binarySI),
        Row("0G", "0", .decimalSI),
        Row("0Ti", "0", .binarySI),
        Row("0T", "0", .decimalSI),

        // Quantity less numbers are allowed
        Row("1", "1", .decimalSI),

        // Binary suffixes
        Row("1Ki", "1024", .binarySI),
        Row("8Ki", "8192", .binarySI),
        Row("7Mi", "7340032", .binarySI),
        Row("6Gi", "6442450944", .binarySI),
        Row("5Ti", "5497558138880", .binarySI),
        Row("4Pi", "4503599627370496", .binarySI),
        Row("3Ei", "3458764513820540928", .binarySI),
        Row("10Ti", "10995116277760", .binarySI),
        Row("100Ti", "109951162777600", .binarySI),

        // Decimal suffixes
        Row("5n", "0.000000005", .decimalSI),
        Row("4u", "0.000004", .decimalSI),
        Row("3m", "0.003", .decimalSI),
        Row("9", "9", .decimalSI),
        Row("8k", "8000", .decimalSI),
        Row("50k", "50000", .decimalSI),
        Row("7M", "7000000", .decimalSI),
        Row("6G", "6000000000", .decimalSI),
        Row("5T", "5000000000000", .decimalSI),
        Row("40T", "40000000000000", .decimalSI),
        Row("300T", "300000000000000", .decimalSI),
        Row("2P", "2000000000000000", .decimalSI),
        Row("1E", "1000000000000000000", .decimalSI),

        // Decimal exponents
        Row("1E-3", "0.001", .decimalExponent),
        Row("1e3", "1000", .decimalExponent),
        Row("1E6", "1000000", .decimalExponent),
        Row("1e9", "1000000000", .decimalExponent),
        Row("1E12", "1000000000000", .decimalExponent),
        Row("1e15", "1000000000000000", .decimalExponent),
        Row("1E18", "1000000000000000000", .decimalExponent),

        // Nonstandard but still parsable
        Row("1e14", "100000000000000", .decimalExponent),
        Row("1e13", "10000000000000", .decimalExponent),
        Row("1e3", "1000", .decimalExponent),
        Row("100.035k", "100035", .decimalSI),

        // Things that look like floating point
        Row("0.001", "0.001", .decimalSI),
        Row("0.0005k", "0.5", .decimalSI),
        Row("0.005", "0.005", .decimalSI),
        Row("0.05", "0.05", .decimalSI),
        Row("0.5", "0.5", .decimalSI),
        Row("0.00050k", "0.5", .decimalSI),
        Row("0.00500", "0.005", .decimalSI),
        Row("0.05000", "0.05", .decimalSI),
        Row("0.50000", "0.5", .decimalSI),
        Row("0.5e0", "0.5", .decimalExponent),
        Row("0.5e-1", "0.05", .decimalExponent),
        Row("0.5e-2", "0.005", .decimalExponent),
        Row("0.5e0", "0.5", .decimalExponent),
        Row("10.035M", "10035000", .decimalSI),

        Row("1.2e3", "1200", .decimalExponent),
        Row("1.3E+6", "1300000", .decimalExponent),
        Row("1.40e9", "1400000000", .decimalExponent),
        Row("1.53E12", "1530000000000", .decimalExponent),
        Row("1.6e15", "1600000000000000", .decimalExponent),
        Row("1.7E18", "1700000000000000000", .decimalExponent),

        Row("9.01", "9.01", .decimalSI),
        Row("8.1k", "8100", .decimalSI),
        Row("7.123456M", "7123456", .decimalSI),
        Row("6.987654321G", "6987654321", .decimalSI),
        Row("5.444T", "5444000000000", .decimalSI),
        Row("40.1T", "40100000000000", .decimalSI),
        Row("300.2T", "300200000000000", .decimalSI),
        Row("2.5P", "2500000000000000", .decimalSI),
        Row("1.01E", "1010000000000000000", .decimalSI),

        // Things that saturate/round
        Row("3.001n", "0.000000004", .decimalSI),
        Row("1.1E-9", "0.000000002", .decimalExponent),
        Row("0.0000000001", "0.000000001", .decimalSI),
        Row("0.0000000005", "0.000000001", .decimalSI),
        Row("0.00000000050", "0.000000001", .decimalSI),
        Row("0.5e-9", "0.000000001", .decimalExponent),
        Row("0.9n", "0.000000001", .decimalSI),
        Row("0.00000012345", "0.000000124", .decimalSI),
        Row("0.00000012354", "0.000000124", .decimalSI),
        Row("9Ei", "9223372036854775807", .binarySI),
        Row("9223372036854775807Ki", "9223372036854775807", .binarySI),
        Row("12E", "12000000000000000000", .decimalSI),

        // We'll accept fractional binary stuff, too.
        Row("100.035Ki", "102435.84", .binarySI),
        Row("0.5Mi", "524288", .binarySI),
        Row("0.05Gi", "53687091.2", .binarySI),
        Row("0.025Ti", "27487790694.4", .binarySI),

        // Things written by trolls
        Row("0.000000000001Ki", "0.000000002", .decimalSI),  // rounds up, changes format
        Row(".001", "0.001", .decimalSI),
        Row(".0001k", "0.1", .decimalSI),
        Row("1.", "1", .decimalSI),
        Row("1.G", "1000000000", .decimalSI),
    ]

    private static func parse(_ text: String) -> Quantity? {
        try? Quantity(parsing: text)
    }

    @Test(arguments: table)
    func parsesToTheExpectedValueAndFormat(_ row: Row) throws {
        let quantity = try Quantity(parsing: row.input)
        #expect(quantity.exact == row.exact)
        #expect(quantity.format == row.format)
        // Upstream compares against NewDecimalQuantity(value, format) for every format:
        // the value does not depend on the format.
        for format in Quantity.Format.allCases {
            var reformatted = quantity
            reformatted.format = format
            #expect(reformatted == quantity)
        }
    }

    /// Upstream's decomposition loop: re-assembling sign, num, denom and suffix gives the
    /// same value.
    @Test(arguments: table)
    func reassembledPartsParseToTheSameValue(_ row: Row) throws {
        let quantity = try Quantity(parsing: row.input)
        let scan = try #require(
            row.input.utf8.withContiguousStorageIfAvailable { bytes -> String? in
                guard case .success(let scan) = QuantityScanner.scan(bytes) else { return nil }
                func text(_ range: Range<Int>) -> String {
                    String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
                }
                var num = Substring(text(scan.integerDigits))
                while num.hasPrefix("0") { num = num.dropFirst() }
                var value = (scan.isNegative ? "-" : "") + (num.isEmpty ? "0" : String(num))
                if let fraction = scan.fractionDigits, !fraction.isEmpty { value += "." + text(fraction) }
                return value + text(scan.suffixStart..<scan.end)
            } ?? nil)
        #expect(Self.parse(scan) == quantity)
    }

    @Test(arguments: table)
    func negatedInputParsesToTheNegatedValueWithTheSameFormat(_ row: Row) throws {
        let quantity = try Quantity(parsing: "-" + row.input)
        let expected = row.exact == "0" ? "0" : "-" + row.exact
        #expect(quantity.exact == expected)
        #expect(quantity.format == row.format)
        #expect(quantity == -(try Quantity(parsing: row.input)))
    }

    @Test(arguments: table)
    func explicitPlusParsesToTheSameValueAndFormat(_ row: Row) throws {
        let quantity = try Quantity(parsing: "+" + row.input)
        #expect(quantity.exact == row.exact)
        #expect(quantity.format == row.format)
    }

    @Test func emptyStringIsAnError() {
        #expect(throws: QuantityError(input: "", offset: 0, reason: .empty)) { try Quantity(parsing: "") }
    }

    /// TestQuantityParseZero.
    @Test func zeroPrintsAsZero() throws {
        #expect(try Quantity(parsing: "0").canonical == "0")
    }

    /// TestParseQuantityString, on our scanner. Upstream's `.` and `-.` rows scan as zero
    /// there; we reject a number without digits (see QuantityErrorTests).
    @Test(arguments: [
        ("0.025Ti", false, "0", "025", QuantityScanner.Suffix.binarySI(40)),
        ("1.025Ti", false, "1", "025", .binarySI(40)),
        ("-1.025Ti", true, "1", "025", .binarySI(40)),
        ("1E-3", false, "1", "", .exponent(-3)),
    ])
    func scannerSplitsNumberAndSuffix(
        input: String, negative: Bool, integer: String, fraction: String, suffix: QuantityScanner.Suffix
    ) throws {
        let parts =
            input.utf8.withContiguousStorageIfAvailable { bytes -> (Bool, String, String, QuantityScanner.Suffix)? in
                guard case .success(let scan) = QuantityScanner.scan(bytes) else { return nil }
                func text(_ range: Range<Int>) -> String {
                    String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
                }
                return (scan.isNegative, text(scan.integerDigits), scan.fractionDigits.map(text) ?? "", scan.suffix)
            } ?? nil
        let (scannedNegative, scannedInteger, scannedFraction, scannedSuffix) = try #require(parts)
        #expect(scannedNegative == negative)
        #expect(scannedInteger == integer)
        #expect(scannedFraction == fraction)
        #expect(scannedSuffix == suffix)
    }

    /// ExampleMustParse (quantity_example_test.go).
    @Test func exampleMustParse() throws {
        let memory = try Quantity(parsing: "5Gi")
        #expect(memory.value == 5_368_709_120 && memory.format == .binarySI)
        let disk = try Quantity(parsing: "5G")
        #expect(disk.value == 5_000_000_000 && disk.format == .decimalSI)
        let cores = try Quantity(parsing: "5300m")
        #expect(cores.milliValue == 5300 && cores.format == .decimalSI)
        let cores2 = try Quantity(parsing: "5.4")
        #expect(cores2.milliValue == 5400 && cores2.format == .decimalSI)
    }

    /// ExampleFormat.
    @Test func exampleFormat() {
        #expect(Quantity(5 * 1024 * 1024 * 1024, format: .binarySI).canonical == "5Gi")
        #expect(Quantity(5 * 1000 * 1000 * 1000, format: .decimalSI).canonical == "5G")
        #expect(Quantity(5300, exponent: -3, format: .decimalSI).canonical == "5300m")
    }

    /// The oddities `reference/quantity.md` says upstream tables assert, and exactness far
    /// beyond Int64 (never Double while parsing).
    @Test(arguments: [
        ("1.", "1"), (".5", "0.5"), ("1.G", "1000000000"), ("+1", "1"), ("-0", "0"), ("00", "0"),
        ("1e100", "1" + String(repeating: "0", count: 100)),
        ("12345678901234567890", "12345678901234567890"),
        ("-12345678901234567890.5", "-12345678901234567890.5"),
        ("123456789012345678901234567890.123456789", "123456789012345678901234567890.123456789"),
        ("1.0000000000000000000000000001", "1.000000001"),
        ("0.1n", "0.000000001"), ("3.001n", "0.000000004"), ("-0.1n", "-0.000000001"),
        ("9007199254740993", "9007199254740993"),
        ("8Ei", "9223372036854775807"), ("-8Ei", "-9223372036854775807"), ("7.999Ei", "9222219115350168961.024"),
        ("9e999", "9" + String(repeating: "0", count: 999)),
        ("0.001e1000", "1" + String(repeating: "0", count: 997)),
        ("1e-1000", "0.000000001"),
    ])
    func parsesExactly(input: String, exact: String) throws {
        #expect(try Quantity(parsing: input).exact == exact)
    }

    /// A binary value strictly between -1 and 1 becomes decimal SI; zero stays binary.
    @Test(arguments: [
        ("0.5Ki", Quantity.Format.binarySI), (".000000000001Ki", .decimalSI), ("-.000000000001Ki", .decimalSI),
        ("0.0009765625Ki", .binarySI), ("0.0009Ki", .decimalSI), ("0Ki", .binarySI), ("-0.0Mi", .binarySI),
    ])
    func binaryFormatBelowOne(input: String, format: Quantity.Format) throws {
        #expect(try Quantity(parsing: input).format == format)
    }

    @Test func nonASCIIInputIsRejectedNotCrashed() {
        for input in ["١", "1µ", "1\u{00A0}Mi", "𝟙", "1é", "\u{0}", "1\u{0}"] {
            #expect(throws: QuantityError.self) { try Quantity(parsing: input) }
        }
    }

    @Test func bridgedOrSubstringBackedTextParses() throws {
        let long = String(repeating: "x", count: 3) + "128Mi"
        let text = String(long.dropFirst(3))
        #expect(try Quantity(parsing: text).canonical == "128Mi")
    }
}
