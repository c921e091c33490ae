/// An exact signed decimal number: ±coefficient × 10^exponent.
///
/// Always normalized: the coefficient has no trailing zero digit and zero is +0 × 10^0.
/// Every value therefore has one representation, and the synthesized equality and
/// hashing are value equality.
struct ExactDecimal: Sendable, Hashable, Comparable {
    private(set) var isNegative: Bool
    private(set) var coefficient: BigNatural
    private(set) var exponent: Int

    static let zero = ExactDecimal(negative: false, coefficient: .zero, exponent: 0)

    init(negative: Bool, coefficient: BigNatural, exponent: Int) {
        if coefficient.isZero {
            self.isNegative = false
            self.coefficient = .zero
            self.exponent = 0
            return
        }
        let zeros = coefficient.trailingZeroDigitCount
        self.isNegative = negative
        self.coefficient = zeros == 0 ? coefficient : coefficient.droppingDigits(zeros).quotient
        self.exponent = exponent + zeros
    }

    init(_ value: Int64, exponent: Int = 0) {
        self.init(negative: value < 0, coefficient: BigNatural(value.magnitude), exponent: exponent)
    }

    var isZero: Bool { coefficient.isZero }

    /// One past the position of the most significant digit: |x| < 10^digitSpan <= 10 |x|.
    /// Meaningless for zero.
    private var digitSpan: Int { coefficient.decimalDigitCount + exponent }

    var negated: ExactDecimal {
        var copy = self
        if !isZero { copy.isNegative.toggle() }
        return copy
    }

    var magnitude: ExactDecimal {
        var copy = self
        copy.isNegative = false
        return copy
    }

    /// The value rounded away from zero to a multiple of 10^minimumExponent.
    func roundedAwayFromZero(toExponent minimumExponent: Int) -> ExactDecimal {
        guard !isZero, exponent < minimumExponent else { return self }
        let (quotient, exact) = coefficient.droppingDigits(minimumExponent - exponent)
        return ExactDecimal(
            negative: isNegative, coefficient: exact ? quotient : quotient.incremented(), exponent: minimumExponent)
    }

    /// x × 10^scale rounded away from zero to an integer, or nil when that is outside Int64.
    func integerRoundedAwayFromZero(timesPowerOfTen scale: Int) -> Int64? {
        guard !isZero else { return 0 }
        let shifted = exponent + scale
        let magnitude: BigNatural
        if shifted >= 0 {
            // Int64 has at most 19 digits: decide without building a huge number.
            guard coefficient.decimalDigitCount + shifted <= 19 else { return nil }
            magnitude = coefficient.multipliedByPowerOfTen(shifted)
        } else {
            let (quotient, exact) = coefficient.droppingDigits(-shifted)
            magnitude = exact ? quotient : quotient.incremented()
        }
        guard let bits = magnitude.uint64Value else { return nil }
        if isNegative {
            guard bits <= UInt64(Int64.max) + 1 else { return nil }
            return Int64(bitPattern: 0 &- bits)
        }
        guard bits <= UInt64(Int64.max) else { return nil }
        return Int64(bits)
    }

    /// The integer value, when the number is a whole number (of any size).
    var integerMagnitude: BigNatural? {
        guard exponent >= 0 else { return nil }
        return coefficient.multipliedByPowerOfTen(exponent)
    }

    /// |x| as mantissa × 10^exponent with the exponent lowered to a multiple of three, the
    /// form every Kubernetes suffix needs (1.5e4 -> 15 × 10^3).
    var engineeringForm: (mantissa: BigNatural, exponent: Int) {
        guard !isZero else { return (.zero, 0) }
        let lowered = exponent >= 0 ? exponent / 3 * 3 : -((-exponent + 2) / 3 * 3)
        return (coefficient.multipliedByPowerOfTen(exponent - lowered), lowered)
    }

    func multiplied(by factor: Int64) -> ExactDecimal {
        ExactDecimal(
            negative: isNegative != (factor < 0), coefficient: coefficient.multiplied(by: factor.magnitude),
            exponent: exponent)
    }

    static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let leftSign = lhs.isZero ? 0 : (lhs.isNegative ? -1 : 1)
        let rightSign = rhs.isZero ? 0 : (rhs.isNegative ? -1 : 1)
        if leftSign != rightSign { return leftSign < rightSign }
        if leftSign == 0 { return false }
        return leftSign > 0 ? compareMagnitudes(lhs, rhs) < 0 : compareMagnitudes(lhs, rhs) > 0
    }

    /// -1, 0 or 1 as |lhs| is below, equal to or above |rhs|.
    static func compareMagnitudes(_ lhs: ExactDecimal, _ rhs: ExactDecimal) -> Int {
        if lhs.isZero || rhs.isZero { return lhs.isZero ? (rhs.isZero ? 0 : -1) : 1 }
        if lhs.digitSpan != rhs.digitSpan { return lhs.digitSpan < rhs.digitSpan ? -1 : 1 }
        // Same leading position: aligning costs at most the length of the longer coefficient.
        var left = lhs.coefficient
        var right = rhs.coefficient
        if lhs.exponent > rhs.exponent {
            left = left.multipliedByPowerOfTen(lhs.exponent - rhs.exponent)
        } else if rhs.exponent > lhs.exponent {
            right = right.multipliedByPowerOfTen(rhs.exponent - lhs.exponent)
        }
        return left < right ? -1 : (left == right ? 0 : 1)
    }

    /// Plain decimal notation without exponent or superfluous zeros: `-1.5`, `0.001`, `1000`.
    var plainString: String {
        guard !isZero else { return "0" }
        var digits = coefficient.decimalString
        if exponent > 0 {
            digits.append(contentsOf: repeatElement("0", count: exponent))
        } else if exponent < 0 {
            let fractionDigits = -exponent
            let count = digits.utf8.count
            if count > fractionDigits {
                digits.insert(".", at: digits.utf8.index(digits.startIndex, offsetBy: count - fractionDigits))
            } else {
                digits = "0." + String(repeating: "0", count: fractionDigits - count) + digits
            }
        }
        return isNegative ? "-" + digits : digits
    }

    /// The nearest Double (correctly rounded), ±infinity beyond its range.
    var doubleValue: Double {
        guard !isZero else { return 0 }
        // Both operands exact in a Double: a single rounding, hence correctly rounded.
        if let small = coefficient.uint64Value, small <= 1 << 53, (-22...22).contains(exponent) {
            let mantissa = Double(small)
            var power = 1.0
            for _ in 0..<abs(exponent) { power *= 10 }
            let value = exponent >= 0 ? mantissa * power : mantissa / power
            return isNegative ? -value : value
        }
        let text = (isNegative ? "-" : "") + coefficient.decimalString + "e" + String(exponent)
        return Double(text) ?? .nan
    }
}
