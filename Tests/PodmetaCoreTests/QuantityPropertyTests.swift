import Testing

@testable import PodmetaCore

/// Random strings (fixed seed) thrown at the parser: it never crashes, every rejection is
/// a well-formed error, and every accepted quantity survives its own canonical form.
@Suite struct QuantityPropertyTests {
    static func checkAccepted(_ quantity: Quantity, input: String) {
        // The canonical form parses back to the same exact value and prints identically.
        guard let reparsed = try? Quantity(parsing: quantity.canonical) else {
            Issue.record("\(input.debugDescription): canonical \(quantity.canonical) does not parse")
            return
        }
        #expect(reparsed == quantity, "\(input.debugDescription) -> \(quantity.canonical)")
        #expect(reparsed.exact == quantity.exact, "\(input.debugDescription)")
        #expect(reparsed.canonical == quantity.canonical, "\(input.debugDescription)")
        // The format survives unless the canonical form has no suffix of it: binary values
        // that print without Ki..Ei (fractions, |x| < 1024, not a multiple of 1024), exponent
        // form with exponent 0, and decimal SI beyond E (which prints in exponent form).
        var expectedFormat = quantity.format
        let exponent = quantity.amount.engineeringForm.exponent
        switch quantity.format {
        case .binarySI:
            if (quantity.binaryForm(maximumPower: 6)?.power ?? 0) == 0 { expectedFormat = .decimalSI }
        case .decimalExponent:
            if exponent == 0 || quantity.isZero { expectedFormat = .decimalSI }
        case .decimalSI:
            if exponent > 18 { expectedFormat = .decimalExponent }
        }
        #expect(reparsed.format == expectedFormat, "\(input.debugDescription) -> \(quantity.canonical)")
        // The exact decimal is itself a quantity with the same value.
        #expect((try? Quantity(parsing: quantity.exact)) == quantity, "\(input.debugDescription)")
        // Value() is MilliValue() rounded once more (both away from zero).
        if let milli = quantity.milliValue, let value = quantity.value {
            let expected = milli / 1000 + (milli % 1000 == 0 ? 0 : (milli < 0 ? -1 : 1))
            #expect(value == expected, "\(input.debugDescription)")
        }
        if quantity.milliValue != nil { #expect(quantity.value != nil, "\(input.debugDescription)") }
        #expect(quantity.isNegative == quantity.exact.hasPrefix("-"))
        #expect(quantity.isZero == (quantity.exact == "0"))
    }

    static func check(_ input: String) -> Quantity? {
        do {
            let quantity = try Quantity(parsing: input)
            checkAccepted(quantity, input: input)
            return quantity
        } catch {
            #expect(error.input == input)
            #expect((0...input.utf8.count).contains(error.offset), "\(error)")
            #expect(error.description.hasPrefix("invalid quantity "))
            return nil
        }
    }

    @Test func randomNoiseNeverCrashes() {
        var random = SplitMix64(seed: 0x5EED_0001)
        var accepted = 0
        for _ in 0..<20_000 {
            if Self.check(random.noise(maxLength: 16)) != nil { accepted += 1 }
        }
        // Pinned: the generator must keep producing a mix of both.
        #expect(accepted == 2_004)
    }

    @Test func quantityLikeStringsRoundTrip() {
        var random = SplitMix64(seed: 0x5EED_0002)
        var accepted: [Quantity] = []
        for _ in 0..<20_000 {
            if let quantity = Self.check(random.quantityLike()) { accepted.append(quantity) }
        }
        #expect(accepted.count == 16_358)
        // Ordering agrees with the (monotonic, correctly rounded) Double conversion.
        for index in accepted.indices.dropFirst() {
            let (a, b) = (accepted[index - 1], accepted[index])
            if a < b { #expect(a.doubleValue <= b.doubleValue, "\(a) < \(b)") }
            if a == b { #expect(a.doubleValue == b.doubleValue && a.hashValue == b.hashValue) }
            #expect((a < b) != (b < a) || a == b)
        }
    }

    /// Multiplying by a file integer and comparing stays exact.
    @Test func multiplicationIsExact() throws {
        var random = SplitMix64(seed: 0x5EED_0003)
        for _ in 0..<5_000 {
            let base = Int64(bitPattern: random.next()) >> random.below(64)
            let factor = Int64(bitPattern: random.next()) >> random.below(64)
            let exponent = random.below(30) - 9
            let product = Quantity(base, exponent: exponent).multiplied(by: factor)
            let expectedSign = (base < 0) != (factor < 0) && base != 0 && factor != 0
            #expect(product.isNegative == expectedSign)
            let wide = base.multipliedFullWidth(by: factor)
            if (wide.high == 0 && wide.low <= UInt64(Int64.max)) || (wide.high == -1 && wide.low >= 1 << 63) {
                #expect(product == Quantity(Int64(bitPattern: wide.low), exponent: exponent))
            }
            // Dividing back out by factor (via the float-free identity a*f == b*f <=> a == b).
            if factor != 0 {
                #expect(product == Quantity(base, exponent: exponent) * factor)
                #expect((product < Quantity(base, exponent: exponent).multiplied(by: factor)) == false)
            }
        }
    }
}
