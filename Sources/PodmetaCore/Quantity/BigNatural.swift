/// An arbitrary-precision natural number, just big enough for exact quantity arithmetic.
///
/// Values below 2^64 are stored inline, so the quantities pod specs actually hold never
/// touch the heap. Larger values are little-endian limbs in base 10^9: the operations a
/// quantity needs (reading decimal digits, printing them, scaling by powers of ten,
/// dropping digits when rounding) are then linear in the number of digits, so the cost of
/// any input is proportional to its length.
struct BigNatural: Sendable, Hashable, Comparable {
    private enum Storage: Sendable, Hashable {
        case small(UInt64)
        /// Base 10^9, least significant limb first, top limb non-zero. Only values of 2^64
        /// and above use it, so every value has exactly one representation and the
        /// synthesized equality and hashing are value equality.
        case large([UInt32])
    }

    private var storage: Storage

    private static let limbBase: UInt64 = 1_000_000_000

    /// 10^0 ... 10^19, every power of ten a UInt64 holds.
    private static let powersOfTen: [UInt64] = {
        var powers: [UInt64] = [1]
        for _ in 1...19 { powers.append(powers[powers.count - 1] * 10) }
        return powers
    }()

    static let zero = BigNatural(0)

    init(_ value: UInt64) {
        storage = .small(value)
    }

    private init(normalizing limbs: [UInt32]) {
        var limbs = limbs
        while let top = limbs.last, top == 0 { limbs.removeLast() }
        if limbs.count <= 3 {
            var value: UInt64 = 0
            var fits = true
            for limb in limbs.reversed() {
                let (scaled, overflow1) = value.multipliedReportingOverflow(by: Self.limbBase)
                let (sum, overflow2) = scaled.addingReportingOverflow(UInt64(limb))
                if overflow1 || overflow2 {
                    fits = false
                    break
                }
                value = sum
            }
            if fits {
                storage = .small(value)
                return
            }
        }
        storage = .large(limbs)
    }

    /// The number written by the ASCII digits at `first` followed by those at `second`.
    /// The caller guarantees that every byte in both ranges is a digit.
    init(digitsIn bytes: UnsafeBufferPointer<UInt8>, _ first: Range<Int>, _ second: Range<Int>) {
        let count = first.count + second.count
        if count <= 19 {
            // 19 digits are below 10^19 < 2^64: no overflow possible.
            var value: UInt64 = 0
            for index in first { value = value &* 10 &+ UInt64(bytes[index] &- 0x30) }
            for index in second { value = value &* 10 &+ UInt64(bytes[index] &- 0x30) }
            self.init(value)
            return
        }
        self.init(normalizing: Self.limbs(digitsIn: bytes, first, second, count: count))
    }

    private static func limbs(
        digitsIn bytes: UnsafeBufferPointer<UInt8>, _ first: Range<Int>, _ second: Range<Int>, count: Int
    ) -> [UInt32] {
        var limbs = [UInt32](repeating: 0, count: (count + 8) / 9)
        // The most significant limb takes the leftover digits, every other limb nine.
        var limbIndex = limbs.count - 1
        var remaining = count % 9 == 0 ? 9 : count % 9
        var accumulator: UInt32 = 0
        for range in [first, second] {
            for index in range {
                accumulator = accumulator &* 10 &+ UInt32(bytes[index] &- 0x30)
                remaining -= 1
                if remaining == 0 {
                    limbs[limbIndex] = accumulator
                    accumulator = 0
                    limbIndex -= 1
                    remaining = 9
                }
            }
        }
        return limbs
    }

    var isZero: Bool {
        if case .small(0) = storage { return true }
        return false
    }

    /// The value, when it fits in a UInt64.
    var uint64Value: UInt64? {
        if case .small(let value) = storage { return value }
        return nil
    }

    private var limbs: [UInt32] {
        switch storage {
        case .large(let limbs):
            return limbs
        case .small(var value):
            var limbs: [UInt32] = []
            limbs.reserveCapacity(3)
            while value > 0 {
                limbs.append(UInt32(value % Self.limbBase))
                value /= Self.limbBase
            }
            return limbs
        }
    }

    /// Number of decimal digits; zero has one.
    var decimalDigitCount: Int {
        switch storage {
        case .small(let value):
            return Self.digitCount(value)
        case .large(let limbs):
            return 9 * (limbs.count - 1) + Self.digitCount(UInt64(limbs[limbs.count - 1]))
        }
    }

    private static func digitCount(_ value: UInt64) -> Int {
        var count = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            count += 1
        }
        return count
    }

    /// How many zero digits end the number (0 for zero itself).
    var trailingZeroDigitCount: Int {
        switch storage {
        case .small(var value):
            guard value != 0 else { return 0 }
            var count = 0
            while value % 10 == 0 {
                value /= 10
                count += 1
            }
            return count
        case .large(let limbs):
            var count = 0
            var index = 0
            while limbs[index] == 0 {
                count += 9
                index += 1
            }
            var limb = limbs[index]
            while limb % 10 == 0 {
                limb /= 10
                count += 1
            }
            return count
        }
    }

    func multipliedByPowerOfTen(_ exponent: Int) -> BigNatural {
        precondition(exponent >= 0, "negative power of ten")
        if exponent == 0 || isZero { return self }
        if case .small(let value) = storage, exponent < Self.powersOfTen.count {
            let (product, overflow) = value.multipliedReportingOverflow(by: Self.powersOfTen[exponent])
            if !overflow { return BigNatural(product) }
        }
        var limbs = self.limbs
        let partial = exponent % 9
        if partial > 0 { Self.multiply(&limbs, by: UInt32(Self.powersOfTen[partial])) }
        let wholeLimbs = exponent / 9
        if wholeLimbs > 0 { limbs.insert(contentsOf: repeatElement(0, count: wholeLimbs), at: 0) }
        return BigNatural(normalizing: limbs)
    }

    private static func multiply(_ limbs: inout [UInt32], by factor: UInt32) {
        var carry: UInt64 = 0
        for index in limbs.indices {
            // < 10^9 * 2^32 + carry: far below 2^64.
            let product = UInt64(limbs[index]) * UInt64(factor) + carry
            limbs[index] = UInt32(product % limbBase)
            carry = product / limbBase
        }
        while carry > 0 {
            limbs.append(UInt32(carry % limbBase))
            carry /= limbBase
        }
    }

    func multiplied(by factor: UInt64) -> BigNatural {
        if case .small(let value) = storage {
            let (product, overflow) = value.multipliedReportingOverflow(by: factor)
            if !overflow { return BigNatural(product) }
        }
        if factor == 0 || isZero { return .zero }
        let left = limbs
        let right = BigNatural(factor).limbs
        var result = [UInt32](repeating: 0, count: left.count + right.count)
        for (j, rightLimb) in right.enumerated() where rightLimb != 0 {
            var carry: UInt64 = 0
            for (i, leftLimb) in left.enumerated() {
                // < 10^9 + (10^9 - 1)^2 + 10^9: fits.
                let sum = UInt64(result[i + j]) + UInt64(leftLimb) * UInt64(rightLimb) + carry
                result[i + j] = UInt32(sum % Self.limbBase)
                carry = sum / Self.limbBase
            }
            var index = j + left.count
            while carry > 0 {
                let sum = UInt64(result[index]) + carry
                result[index] = UInt32(sum % Self.limbBase)
                carry = sum / Self.limbBase
                index += 1
            }
        }
        return BigNatural(normalizing: result)
    }

    /// The number with its last `count` digits dropped, and whether they were all zero.
    func droppingDigits(_ count: Int) -> (quotient: BigNatural, exact: Bool) {
        precondition(count >= 0, "negative digit count")
        if count == 0 { return (self, true) }
        switch storage {
        case .small(let value):
            guard count < Self.powersOfTen.count else { return (.zero, value == 0) }
            let power = Self.powersOfTen[count]
            return (BigNatural(value / power), value % power == 0)
        case .large(let limbs):
            let wholeLimbs = count / 9
            guard wholeLimbs < limbs.count else { return (.zero, false) }
            var exact = limbs[..<wholeLimbs].allSatisfy { $0 == 0 }
            var quotient = Array(limbs[wholeLimbs...])
            let partial = count % 9
            if partial > 0 {
                let divisor = Self.powersOfTen[partial]
                var remainder: UInt64 = 0
                for index in quotient.indices.reversed() {
                    let current = remainder * Self.limbBase + UInt64(quotient[index])
                    quotient[index] = UInt32(current / divisor)
                    remainder = current % divisor
                }
                if remainder != 0 { exact = false }
            }
            return (BigNatural(normalizing: quotient), exact)
        }
    }

    func quotientAndRemainder(dividingBy divisor: UInt32) -> (quotient: BigNatural, remainder: UInt32) {
        precondition(divisor != 0, "division by zero")
        switch storage {
        case .small(let value):
            return (BigNatural(value / UInt64(divisor)), UInt32(value % UInt64(divisor)))
        case .large(var limbs):
            var remainder: UInt64 = 0
            for index in limbs.indices.reversed() {
                // remainder < 2^32, so this stays below 2^32 * 10^9 + 10^9.
                let current = remainder * Self.limbBase + UInt64(limbs[index])
                limbs[index] = UInt32(current / UInt64(divisor))
                remainder = current % UInt64(divisor)
            }
            return (BigNatural(normalizing: limbs), UInt32(remainder))
        }
    }

    func incremented() -> BigNatural {
        if case .small(let value) = storage, value < UInt64.max { return BigNatural(value + 1) }
        var limbs = self.limbs
        var index = 0
        while true {
            if index == limbs.count {
                limbs.append(1)
                break
            }
            if limbs[index] == 999_999_999 {
                limbs[index] = 0
                index += 1
            } else {
                limbs[index] += 1
                break
            }
        }
        return BigNatural(normalizing: limbs)
    }

    static func < (lhs: BigNatural, rhs: BigNatural) -> Bool {
        switch (lhs.storage, rhs.storage) {
        case (.small(let left), .small(let right)):
            return left < right
        case (.small, .large):
            return true
        case (.large, .small):
            return false
        case (.large(let left), .large(let right)):
            if left.count != right.count { return left.count < right.count }
            for index in left.indices.reversed() where left[index] != right[index] {
                return left[index] < right[index]
            }
            return false
        }
    }

    var decimalString: String {
        switch storage {
        case .small(let value):
            return String(value)
        case .large(let limbs):
            var bytes: [UInt8] = []
            bytes.reserveCapacity(limbs.count * 9)
            bytes.append(contentsOf: String(limbs[limbs.count - 1]).utf8)
            for limb in limbs.dropLast().reversed() {
                let start = bytes.count
                bytes.append(contentsOf: repeatElement(0x30, count: 9))
                var rest = limb
                var index = start + 8
                while rest > 0 {
                    bytes[index] = 0x30 + UInt8(rest % 10)
                    rest /= 10
                    index -= 1
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
