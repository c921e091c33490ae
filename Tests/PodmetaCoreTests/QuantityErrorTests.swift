import Testing

@testable import PodmetaCore

/// Invalid input: upstream's `invalid` list from `TestQuantityParse` (and its panic/Set
/// tests), the error examples of `reference/quantity.md`, and our deliberate rejections
/// (bare suffixes, exponent and magnitude bounds), each with reason and byte offset.
@Suite struct QuantityErrorTests {
    typealias Reason = QuantityError.Reason

    static let invalidTable: [(String, Int, Reason)] = [
        // upstream TestQuantityParse "invalid"
        ("1.1.M", 3, .unknownSuffix(".M")),
        ("1+1.0M", 1, .unknownSuffix("+1.0M")),
        ("0.1mi", 3, .unknownSuffix("mi")),
        ("0.1am", 3, .unknownSuffix("am")),
        ("aoeu", 0, .missingDigits),
        (".5i", 2, .unknownSuffix("i")),
        ("1i", 1, .unknownSuffix("i")),
        ("-3.01i", 5, .unknownSuffix("i")),
        ("-3.01e-", 5, .missingExponentDigits),
        (" 1", 0, .missingDigits),
        ("1 ", 1, .unknownSuffix(" ")),
        // TestQuantityParseNonNumericPanic, TestQuantityValueSet
        ("Non-Numeric", 0, .missingDigits),
        ("invalid", 0, .missingDigits),
        // reference/quantity.md
        ("1KiB", 1, .unknownSuffix("KiB")),
        ("1 Mi", 1, .unknownSuffix(" Mi")),
        ("1.5.5", 3, .unknownSuffix(".5")),
        ("1e", 1, .missingExponentDigits),
        ("1.0e", 3, .missingExponentDigits),
        ("1e3Ki", 1, .unknownSuffix("e3Ki")),
        ("0x10", 1, .unknownSuffix("x10")),
        ("Infinity", 0, .missingDigits),
        ("1K", 1, .unknownSuffix("K")),
        ("1_000", 1, .unknownSuffix("_000")),
        ("1B", 1, .unknownSuffix("B")),
        ("1ki", 1, .unknownSuffix("ki")),
        ("1E+", 1, .missingExponentDigits),
        ("1e+-3", 1, .unknownSuffix("e+-3")),
        ("1e3.5", 1, .unknownSuffix("e3.5")),
        ("1Mi3", 1, .unknownSuffix("Mi3")),
        ("--1", 1, .missingDigits),
        ("+-1", 1, .missingDigits),
        ("1..5", 2, .unknownSuffix(".5")),
        ("1µ", 1, .unknownSuffix("µ")),
        // Bare suffixes and signs: upstream reads them as 0 (apimachinery#165), we reject.
        ("Mi", 0, .missingDigits),
        ("k", 0, .missingDigits),
        (".", 1, .missingDigits),
        ("-", 1, .missingDigits),
        ("+", 1, .missingDigits),
        ("-.", 2, .missingDigits),
        ("-.Ki", 2, .missingDigits),
        ("e3", 0, .missingDigits),
        // Exponent bound: upstream truncates to int32 (1e4294967296 is 1) or runs out of memory.
        ("1e1001", 1, .exponentOutOfRange("e1001")),
        ("1e-1001", 1, .exponentOutOfRange("e-1001")),
        ("1E+4294967296", 1, .exponentOutOfRange("E+4294967296")),
        ("1e2147483647", 1, .exponentOutOfRange("e2147483647")),
        ("1e-2147483648", 1, .exponentOutOfRange("e-2147483648")),
        ("1e99999999999999999999999999", 1, .exponentOutOfRange("e99999999999999999999999999")),
        // Magnitude bound: 10^1000 and above.
        ("10e999", 0, .valueOutOfRange),
        ("-1e1000", 1, .valueOutOfRange),
        ("+0.1e1001", 4, .exponentOutOfRange("e1001")),
    ]

    @Test(arguments: invalidTable)
    func rejects(input: String, offset: Int, reason: Reason) {
        #expect(throws: QuantityError(input: input, offset: offset, reason: reason)) {
            try Quantity(parsing: input)
        }
    }

    @Test func magnitudeBoundIsExact() throws {
        let nines = String(repeating: "9", count: 1000)
        #expect(try Quantity(parsing: nines).exact == nines)
        #expect(try Quantity(parsing: nines + ".999999999999").exact == "1" + String(repeating: "0", count: 1000))
        #expect(throws: QuantityError.self) { try Quantity(parsing: "1" + String(repeating: "0", count: 1000)) }
        #expect(throws: QuantityError.self) { try Quantity(parsing: nines + "0") }
        #expect(try Quantity(parsing: "000" + nines).exact == nines)
        #expect(try Quantity(parsing: "0." + String(repeating: "0", count: 5000) + "1").exact == "0.000000001")
        #expect(try Quantity(parsing: "0.1e1000").exact == "1" + String(repeating: "0", count: 999))
        // SI suffixes count towards the magnitude too.
        #expect(try Quantity(parsing: "1" + String(repeating: "0", count: 981) + "E").decimalExponentForTests == 999)
        #expect(
            throws: QuantityError(
                input: "+1" + String(repeating: "0", count: 982) + "E", offset: 1, reason: .valueOutOfRange)
        ) {
            try Quantity(parsing: "+1" + String(repeating: "0", count: 982) + "E")
        }
    }

    @Test(arguments: [
        ("1KiB", "invalid quantity \"1KiB\": unknown suffix \"KiB\" at byte 1"),
        ("", "invalid quantity \"\": the text is empty"),
        ("Mi", "invalid quantity \"Mi\": expected a digit at byte 0"),
        ("-", "invalid quantity \"-\": expected a digit at byte 1"),
        ("1e+", "invalid quantity \"1e+\": the exponent has no digits at byte 1"),
        (
            "1e4294967296",
            "invalid quantity \"1e4294967296\": exponent \"e4294967296\" is outside -1000...1000 at byte 1"
        ),
        ("-1e1000", "invalid quantity \"-1e1000\": the value is 10^1000 or more in magnitude at byte 1"),
        ("1\n", "invalid quantity \"1\\n\": unknown suffix \"\\n\" at byte 1"),
        ("1\"", "invalid quantity \"1\\\"\": unknown suffix \"\\\"\" at byte 1"),
        ("é1", "invalid quantity \"é1\": expected a digit at byte 0"),
        ("1é", "invalid quantity \"1é\": unknown suffix \"é\" at byte 1"),
    ])
    func descriptionIsOneSentence(input: String, description: String) {
        #expect(throws: QuantityError.self) { try Quantity(parsing: input) }
        do {
            _ = try Quantity(parsing: input)
        } catch {
            #expect(error.description == description)
            #expect(error.input == input)
        }
    }

    @Test func longInputIsCutShortInTheDescription() {
        let input = "1" + String(repeating: "x", count: 100_000)
        do {
            _ = try Quantity(parsing: input)
            Issue.record("accepted")
        } catch {
            #expect(error.input == input)
            #expect(error.offset == 1)
            #expect(error.description.count < 200)
            #expect(error.description.hasSuffix("at byte 1"))
        }
    }
}

extension Quantity {
    /// The power of ten of the leading digit.
    fileprivate var decimalExponentForTests: Int { amount.coefficient.decimalDigitCount - 1 + amount.exponent }
}
