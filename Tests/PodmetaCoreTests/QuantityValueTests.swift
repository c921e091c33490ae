import Testing

@testable import PodmetaCore

/// Value(), MilliValue(), ScaledValue(), floats, comparison and multiplication: ports of
/// upstream `TestScaledValue`, `TestScaledValueInternal` (scale_int_test.go),
/// `TestQuantityAsFloat64Slow`, `TestStringQuantityAsFloat64Slow`, `TestQuantityCmp`,
/// `TestQuantityCmpInt64AndDec` and `TestMul`, plus our Int64-overflow behaviour.
@Suite struct QuantityValueTests {
    /// TestScaledValue: NewScaledQuantity(1, from).ScaledValue(to).
    @Test(arguments: scaledValueTable)
    func scaledValue(from: Int, to: Int, expected: Int64) {
        #expect(Quantity(1, exponent: from).scaledValue(exponent: to) == expected)
    }

    /// TestScaledValueInternal: scaledValue(unscaled, scale, newScale) is
    /// ceil(unscaled × 10^(newScale - scale)); here the quantity is unscaled × 10^-scale.
    @Test(arguments: scaledValueInternalTable)
    func scaledValueInternal(unscaled: String, scale: Int, newScale: Int, expected: Int64) throws {
        let quantity = try Quantity(parsing: unscaled + "e" + String(-scale))
        #expect(quantity.scaledValue(exponent: -newScale) == expected)
    }

    /// Value() and MilliValue() round up, away from zero for negative values (upstream's
    /// int64 path and documentation; its inf.Dec path differs, see QuantityOracleTests).
    @Test(arguments: valueAndMilliValueTable)
    func valueAndMilliValue(input: String, value: Int64?, milliValue: Int64?) throws {
        let quantity = try Quantity(parsing: input)
        #expect(quantity.value == value)
        #expect(quantity.milliValue == milliValue)
    }

    /// TestQuantityAsFloat64Slow (correctly rounded, like upstream's slow conversion).
    @Test(arguments: doubleValueTable)
    func doubleValue(value: Int64, exponent: Int, expected: Double) {
        for format in Quantity.Format.allCases {
            #expect(Quantity(value, exponent: exponent, format: format).doubleValue == expected)
        }
    }

    /// TestStringQuantityAsFloat64Slow, and more values that need correct rounding.
    @Test(arguments: doubleValueFromTextTable)
    func doubleValueFromText(input: String, expected: Double) throws {
        #expect(try Quantity(parsing: input).doubleValue == expected)
    }

    /// TestQuantityCmp.
    @Test(arguments: comparesParsedValuesTable)
    func comparesParsedValues(left: String, right: String, expected: Int) throws {
        let lhs = try Quantity(parsing: left)
        let rhs = try Quantity(parsing: right)
        #expect((lhs < rhs ? -1 : (lhs == rhs ? 0 : 1)) == expected)
        #expect((rhs < lhs ? -1 : (rhs == lhs ? 0 : 1)) == -expected)
    }

    /// TestQuantityCmpInt64AndDec, on the exact decimal engine: upstream builds these
    /// int64Amounts directly, finer than a nano, which a Quantity never is (it rounds).
    @Test(arguments: comparesExactDecimalsTable)
    func comparesExactDecimals(a: Int64, aExponent: Int, b: Int64, bExponent: Int, expected: Int) {
        let lhs = ExactDecimal(a, exponent: aExponent)
        let rhs = ExactDecimal(b, exponent: bExponent)
        #expect((lhs < rhs ? -1 : (lhs == rhs ? 0 : 1)) == expected)
        #expect((rhs < lhs ? -1 : (rhs == lhs ? 0 : 1)) == -expected)
    }

    /// Equality and hashing ignore the format: 1Ki is 1024.
    @Test func equalityIgnoresFormat() throws {
        let binary = try Quantity(parsing: "1Ki")
        let decimal = try Quantity(parsing: "1024")
        let exponent = try Quantity(parsing: "1.024e3")
        #expect(binary == decimal && decimal == exponent)
        #expect(Set([binary, decimal, exponent]).count == 1)
        #expect(binary.canonical != decimal.canonical)
        #expect(try Quantity(parsing: "0.5") == Quantity(parsing: "500m"))
        #expect(try Quantity(parsing: "-0") == Quantity.zero)
        #expect(
            try [
                Quantity(parsing: "1Gi"), Quantity(parsing: "1G"), Quantity(parsing: "-1"), Quantity(parsing: "999Mi"),
            ]
            .sorted().map(\.canonical) == ["-1", "1G", "999Mi", "1Gi"])
    }

    /// TestMul (exact; upstream's `ok` result only says whether the product fits an int64).
    @Test(arguments: multiplicationTable)
    func multiplication(input: String, factor: Int64, product: String) throws {
        let quantity = try Quantity(parsing: input)
        #expect(quantity.multiplied(by: factor).exact == product)
        #expect((quantity * factor).exact == product)
        #expect(quantity.multiplied(by: factor).format == quantity.format)
    }

    @Test func signAndZero() throws {
        #expect(try Quantity(parsing: "-0.0").isZero)
        #expect(try !Quantity(parsing: "-0.0").isNegative)
        #expect(try Quantity(parsing: "-1n").isNegative)
        #expect(try !Quantity(parsing: "0.0000000001").isZero)
        #expect(Quantity.one.canonical == "1" && Quantity.zero.canonical == "0")
    }

    @Test(arguments: exactDecimalTable)
    func exactDecimal(input: String, exact: String) throws {
        #expect(try Quantity(parsing: input).exact == exact)
    }

    // MARK: - Tables

    static let scaledValueTable: [(Int, Int, Int64)] = [
        (-9, -9, 1), (-9, -6, 1), (-9, -3, 1), (-9, 0, 1),
        (-6, -9, 1000), (-6, -6, 1), (-6, -3, 1), (-6, 0, 1),
        (-3, -9, 1000 * 1000), (-3, -6, 1000), (-3, -3, 1), (-3, 0, 1),
        (0, -9, 1000 * 1000 * 1000), (0, -6, 1000 * 1000), (0, -3, 1000), (0, 0, 1),
        (2, -2, 100 * 100),
    ]

    static let scaledValueInternalTable: [(String, Int, Int, Int64)] = [
        ("1000", 0, 0, 1000),
        ("1000", 0, -3, 1),
        ("1000", 3, 0, 1),
        ("0", 3, 0, 0),
        ("999", 3, 0, 1),
        ("500", 3, 0, 1),
        ("499", 3, 0, 1),
        ("1", 3, 0, 1),
        (String(Int64.max - 1), 1, 0, (Int64.max - 1) / 10 + 1),
        ("1" + String(repeating: "0", count: 100), 100, 0, 1),
        ("0", 0, 3, 0),
        ("1", 0, 3, 1000),
        ("1", -3, 0, 1000),
        ("1000", -3, 2, 100_000_000),
        (String(Int64.max / 1000), 0, 3, Int64.max / 1000 * 1000),
    ]

    static let valueAndMilliValueTable: [(String, Int64?, Int64?)] = [
        ("0", 0, 0),
        ("1", 1, 1000), ("1.5", 2, 1500), ("250m", 1, 250), ("0.1n", 1, 1), ("1n", 1, 1),
        ("1.0001", 2, 1001), ("999m", 1, 999), ("1000m", 1, 1000), ("1001m", 2, 1001),
        ("-1.5", -2, -1500), ("-0.5", -1, -500), ("-1.0000000001", -2, -1001), ("-0.1n", -1, -1),
        ("-250m", -1, -250), ("-4Pi", -4_503_599_627_370_496, -4_503_599_627_370_496_000),
        ("128Mi", 134_217_728, 134_217_728_000), ("2Gi", 2_147_483_648, 2_147_483_648_000),
        ("9223372036854775807", Int64.max, nil), ("9223372036854775807.5", nil, nil),
        ("9223372036854775808", nil, nil), ("-9223372036854775808", Int64.min, nil),
        ("-9223372036854775808.5", nil, nil), ("-9223372036854775809", nil, nil),
        ("9223372036854775.807", 9_223_372_036_854_776, Int64.max),
        ("9223372036854775.8071", 9_223_372_036_854_776, nil),
        ("-9223372036854775.808", -9_223_372_036_854_776, Int64.min),
        ("8Ei", Int64.max, nil), ("9Ei", Int64.max, nil), ("-9Ei", -Int64.max, nil),
        ("10E", nil, nil), ("1e19", nil, nil), ("1e18", 1_000_000_000_000_000_000, nil),
        ("1e100", nil, nil), ("9e999", nil, nil), ("1e-1000", 1, 1),
        ("12345678901234567890", nil, nil),
    ]

    static let doubleValueTable: [(Int64, Int, Double)] = [
        (0, 0, 0), (1, 0, 1), (1024, 0, 1024), (8 * 1024, 0, 8 * 1024),
        (7 * 1024 * 1024, 0, 7 * 1024 * 1024), (7 * 1024 * 1024, 1, 7 * 1024 * 1024 * 10),
        (7 * 1024 * 1024, 4, 7 * 1024 * 1024 * 10000), (7 * 1024 * 1024, 8, 7 * 1024 * 1024 * 100_000_000),
        (7 * 1024 * 1024, -1, 7 * 1024 * 1024 / 10.0), (7 * 1024 * 1024, -8, 7 * 1024 * 1024 / 100_000_000.0),
        (Int64.max, 0, 9_223_372_036_854_775_807.0), (12, 18, 1.2e19),
        (12, 500, .infinity), (-12, 500, -.infinity),
    ]

    static let doubleValueFromTextTable: [(String, Double)] = [
        ("2Ki", 2048), ("1.1Ki", 1126.4), ("1Mi", 1_048_576), ("2Gi", 2_147_483_648),
        ("0.1", 0.1), ("100m", 0.1), ("1n", 1e-9), ("123456789.123456789", 123_456_789.123456789),
        ("9007199254740993", 9_007_199_254_740_992), ("-1.5", -1.5), ("1e300", 1e300), ("9e999", .infinity),
        ("12345678901234567890123", 1.2345678901234568e22), ("0.3", 0.3), ("-0.7e-5", -7e-6),
    ]

    static let comparesParsedValuesTable: [(String, String, Int)] = [
        ("0", "0", 0), ("100m", "50m", 1), ("50m", "100m", -1), ("10000T", "100Gi", 1),
    ]

    static let comparesExactDecimalsTable: [(Int64, Int, Int64, Int, Int)] = [
        (901, -2, 901, -2, 0), (90, -1, 901, -2, -1), (901, -2, 900, -2, 1),
        (0, 0, 0, 0, 0), (0, 1, 0, -1, 0), (0, -1, 0, 1, 0), (800, -3, 1, 0, -1), (800, -3, 79, -2, 1),
        (Int64.max, 0, 1, -1, 1), (Int64.max, 1, 1, 0, 1), (Int64.max, 1, 1, 1, 1), (Int64.max, 1, 0, 1, 1),
        (Int64.max, -16, 1, 3, -1),
        (Int64.min, 0, 0, 0, -1), (Int64.min, -18, -1, 0, -1), (Int64.min, -19, -1, 0, 1),
        (1_000_000_000_000_000_000, -17, 1, 1, 0), (1_000_000_000_000_000_000, -17, -10, 0, 1),
        (-1_000_000_000_000_000_000, -17, -10, 0, 0), (1_000_000_000_000_000_000, -17, 1, 0, 1),
        (1_000_000_000_000_000_001, -17, 1, 1, 1), (999_999_999_999_999_999, -17, 1, 1, -1),
    ]

    static let multiplicationTable: [(String, Int64, String)] = [
        ("10", 10, "100"), ("10", 1, "10"), ("0", 50, "0"), ("50", 0, "0"), ("0", 0, "0"),
        ("10", -10, "-100"), ("-10", 1, "-10"), ("-50", 0, "0"), ("-50", -50, "2500"), ("0", -50, "0"),
        (String(Int64.max), 0, "0"), (String(Int64.max), 1, String(Int64.max)),
        (String(Int64.max), -1, String(-Int64.max)),
        (String(Int64.max / 2), 2, String(Int64.max / 2 * 2)),
        (String(Int64.max / -2), -2, String(Int64.max / 2 * 2)),
        (String(Int64.max), 2, "18446744073709551614"),
        (String(Int64.max), 10, "92233720368547758070"),
        (String(Int64.max), -10, "-92233720368547758070"),
        (String(Int64.min), 0, "0"), (String(Int64.min), 1, String(Int64.min)),
        (String(Int64.min), -1, "9223372036854775808"),
        (String(Int64.min / 2), 2, String(Int64.min)), (String(Int64.min / -2), -2, String(Int64.min)),
        (String(Int64.min), 2, "-18446744073709551616"), (String(Int64.min), 10, "-92233720368547758080"),
        (String(Int64.min), -10, "92233720368547758080"),
        (String(Int64.min), Int64.min, "85070591730234615865843651857942052864"),
        ("1.5", 3, "4.5"), ("250m", 4, "1"), ("1n", -7, "-0.000000007"),
        ("9e999", 1000, "9" + String(repeating: "0", count: 1002)),
    ]

    static let exactDecimalTable: [(String, String)] = [
        ("0.5", "0.5"), ("-1.5", "-1.5"), ("128Mi", "134217728"), ("1e-9", "0.000000001"), ("1.5e3", "1500"),
        ("100.000", "100"), ("-0.000000001", "-0.000000001"), ("1.5Gi", "1610612736"), ("1.1Ki", "1126.4"),
    ]
}
