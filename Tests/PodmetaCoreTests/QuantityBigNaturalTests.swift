import Testing

@testable import PodmetaCore

/// The private big integer behind exact quantities, against schoolbook arithmetic on
/// decimal digit strings (slow, obviously right) with fixed-seed random operands that
/// straddle the inline UInt64 / limb boundary.
@Suite struct QuantityBigNaturalTests {
    static func natural(_ digits: String) -> BigNatural {
        digits.utf8.withContiguousStorageIfAvailable { bytes in
            BigNatural(digitsIn: bytes, 0..<bytes.count, bytes.count..<bytes.count)
        }!
    }

    static func stripped(_ digits: String) -> String {
        let trimmed = digits.drop { $0 == "0" }
        return trimmed.isEmpty ? "0" : String(trimmed)
    }

    /// digits × factor, by hand.
    static func referenceProduct(_ digits: String, _ factor: UInt64) -> String {
        let factorDigits = String(factor).compactMap(\.wholeNumberValue)
        let left = digits.compactMap(\.wholeNumberValue)
        var result = [Int](repeating: 0, count: left.count + factorDigits.count)
        for (i, a) in left.reversed().enumerated() {
            for (j, b) in factorDigits.reversed().enumerated() {
                result[i + j] += a * b
            }
        }
        var carry = 0
        for index in result.indices {
            let total = result[index] + carry
            result[index] = total % 10
            carry = total / 10
        }
        return stripped(result.reversed().map(String.init).joined())
    }

    /// digits / divisor (long division by hand) and the remainder.
    static func referenceDivision(_ digits: String, _ divisor: UInt64) -> (String, UInt64) {
        var quotient = ""
        var remainder: UInt64 = 0
        for digit in digits.compactMap(\.wholeNumberValue) {
            remainder = remainder * 10 + UInt64(digit)
            quotient += String(remainder / divisor)
            remainder %= divisor
        }
        return (stripped(quotient), remainder)
    }

    static func referenceIncrement(_ digits: String) -> String {
        var result = Array(digits.compactMap(\.wholeNumberValue))
        var index = result.count - 1
        while index >= 0 && result[index] == 9 {
            result[index] = 0
            index -= 1
        }
        if index >= 0 { result[index] += 1 } else { result.insert(1, at: 0) }
        return result.map(String.init).joined()
    }

    static func randomDigits(_ random: inout SplitMix64) -> String {
        let length = [1, 2, 9, 10, 18, 19, 20, 21, 27, 28, 40, 81][random.below(12)]
        var digits = random.digits(length)
        if random.below(4) == 0 { digits += String(repeating: "0", count: random.below(20)) }
        if random.below(8) == 0 { digits = String(repeating: "9", count: length) }
        return stripped(digits)
    }

    @Test func matchesSchoolbookArithmetic() {
        var random = SplitMix64(seed: 0xB16_0001)
        for _ in 0..<3_000 {
            let digits = Self.randomDigits(&random)
            let number = Self.natural(digits)
            #expect(number.decimalString == digits)
            #expect(number.decimalDigitCount == digits.count)
            #expect(number.isZero == (digits == "0"))
            #expect((number.uint64Value != nil) == (UInt64(digits) != nil))
            let zeros = digits == "0" ? 0 : digits.count - digits.reversed().drop { $0 == "0" }.count
            #expect(number.trailingZeroDigitCount == zeros)

            let shift = random.below(30)
            let shifted = number.multipliedByPowerOfTen(shift)
            #expect(shifted.decimalString == (digits == "0" ? "0" : digits + String(repeating: "0", count: shift)))

            let drop = random.below(digits.count + 3)
            let (quotient, exact) = number.droppingDigits(drop)
            let kept = drop >= digits.count ? "0" : String(digits.dropLast(drop))
            #expect(quotient.decimalString == kept)
            #expect(exact == digits.suffix(drop).allSatisfy { $0 == "0" })

            let factor = [0, 1, 10, 1024, 1 << 60, UInt64.max, random.next(), random.next() >> 40][random.below(8)]
            #expect(number.multiplied(by: factor).decimalString == Self.referenceProduct(digits, factor))

            let divisor = [1, 10, 1024, 1_000_000_000, UInt32.max, UInt32(truncatingIfNeeded: random.next()) | 1][
                random.below(6)]
            let (q, r) = number.quotientAndRemainder(dividingBy: divisor)
            let (referenceQuotient, referenceRemainder) = Self.referenceDivision(digits, UInt64(divisor))
            #expect(q.decimalString == referenceQuotient && UInt64(r) == referenceRemainder)

            #expect(number.incremented().decimalString == Self.referenceIncrement(digits))

            let other = Self.randomDigits(&random)
            let expectedLess = digits.count != other.count ? digits.count < other.count : digits < other
            #expect((number < Self.natural(other)) == expectedLess, "\(digits) < \(other)")
            #expect((number == Self.natural(other)) == (digits == other))
        }
    }

    @Test func representationIsUnique() {
        // 2^64 - 1 stays inline, 2^64 needs limbs; both ways of reaching a value agree.
        let maxInline = Self.natural("18446744073709551615")
        #expect(maxInline.uint64Value == UInt64.max)
        let past = maxInline.incremented()
        #expect(past.uint64Value == nil)
        #expect(past.decimalString == "18446744073709551616")
        #expect(past == Self.natural("18446744073709551616"))
        #expect(past.hashValue == Self.natural("00018446744073709551616").hashValue)
        let (back, remainder) = past.quotientAndRemainder(dividingBy: 2)
        #expect(remainder == 0 && back.uint64Value == 1 << 63)
        #expect(
            Self.natural("100000000000000000000").droppingDigits(2).quotient == BigNatural(1_000_000_000_000_000_000))
        #expect(
            BigNatural(UInt64.max).multiplied(by: UInt64.max).decimalString == "340282366920938463426481119284349108225"
        )
    }
}
