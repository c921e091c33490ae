/// A Kubernetes `resource.Quantity` (`500m`, `128Mi`, `1.5`, `2e3`), held exactly.
///
/// Parsing follows k8s.io/apimachinery `pkg/api/resource` (the Go code is the
/// specification; its test tables are ported in the tests): the value is exact decimal
/// arithmetic, never floating point, rounded away from zero to whole nanos, with
/// binary-SI values capped at ±(2^63-1). Deliberate deviations (`reference/quantity.md`;
/// the oracle test lists every fixture row they affect):
///
/// - a bare suffix or sign (`Mi`, `k`, `.`, `-`) is an error, not 0 (apimachinery#165);
/// - the exponent of `e`/`E` notation is bounded by ±``exponentLimit`` and a value must be
///   below 10^``exponentLimit`` in magnitude, where upstream truncates the exponent to 32
///   bits (`1e4294967296` is 1) or runs out of memory;
/// - ``canonical`` is always computed, where upstream sometimes echoes the input (`+1`,
///   `007`, `1.441`), and decimal-SI values of 10^21 and more print in exponent form
///   (`1e21`) where upstream drops the suffix (`1000E` prints as `1`);
/// - ``value`` and ``milliValue`` are nil outside Int64 where upstream returns a wrapped or
///   clamped number, and round negative values away from zero consistently.
///
/// Equality, hashing and ordering compare values only: `1Ki == 1024`, whatever the format.
public struct Quantity: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// How the quantity prints: the format of the suffix it was written with.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        /// `m`, `k`, `M`, ... (powers of 1000); also the format of a suffix-less number.
        case decimalSI = "DecimalSI"
        /// `Ki`, `Mi`, ... (powers of 1024).
        case binarySI = "BinarySI"
        /// `e3`, `E-6`.
        case decimalExponent = "DecimalExponent"
    }

    /// Bound on the exponent of `e`/`E` notation (|e| <= 1000) and, as a power of ten, on
    /// the magnitude of a parsed value. It keeps every input's cost proportional to its
    /// length (upstream can be made to allocate gigabytes by `1e-2147483647`).
    public static let exponentLimit = 1000

    /// 1 (decimal SI): the divisor the kubelet uses when none is set.
    public static let one = Quantity(1)
    /// 0 (decimal SI).
    public static let zero = Quantity(0)

    var amount: ExactDecimal

    /// The format used by ``canonical``. Binary SI prints as decimal SI when the value is
    /// not a whole number or is below 1024 in magnitude, as upstream does.
    public var format: Format {
        didSet { upstreamEchoesText = false }
    }

    /// True when the API server's `String()` would return the parsed text verbatim although
    /// it differs from ``canonical`` (`+1`, `007`, `1.441`, `1e0`). Not part of the value;
    /// only divisor validation needs it (see `Quantity+Upstream.swift`).
    var upstreamEchoesText = false

    /// A quantity with an exact value; values finer than a nano are rounded away from zero
    /// to whole nanos, as everywhere else.
    init(amount: ExactDecimal, format: Format) {
        self.amount = amount.roundedAwayFromZero(toExponent: -9)
        self.format = format
    }

    /// `value × 10^exponent`, e.g. `Quantity(250, exponent: -3)` is `250m`; finer than a
    /// nano rounds away from zero to whole nanos (upstream `NewScaledQuantity`).
    ///
    /// The exponent must lie in Int32's range, as upstream's `Scale` does. Unlike text
    /// input it is not bounded further: ``exact`` of `Quantity(1, exponent: 1_000_000)` is
    /// a million characters long.
    public init(_ value: Int64, exponent: Int = 0, format: Format = .decimalSI) {
        precondition(Int(Int32.min)...Int(Int32.max) ~= exponent, "quantity exponent \(exponent) out of Int32 range")
        self.init(amount: ExactDecimal(value, exponent: exponent), format: format)
    }

    /// Parses a quantity as the API server does, with the deviations listed on the type.
    ///
    /// Typical inputs (`500m`, `128Mi`, `1`, `2Gi`) parse without heap allocation.
    public init(parsing text: String) throws(QuantityError) {
        switch Self.parse(text) {
        case .success(let quantity): self = quantity
        case .failure(let error): throw error
        }
    }

    static func parse(_ text: String) -> Result<Quantity, QuantityError> {
        if let result = text.utf8.withContiguousStorageIfAvailable({ parse(bytes: $0, text: text) }) {
            return result
        }
        var contiguous = text
        contiguous.makeContiguousUTF8()
        return contiguous.utf8.withContiguousStorageIfAvailable { parse(bytes: $0, text: text) }!
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>, text: String) -> Result<Quantity, QuantityError> {
        let scan: QuantityScanner.Scan
        switch QuantityScanner.scan(bytes) {
        case .success(let success):
            scan = success
        case .failure(let failure):
            return .failure(QuantityError(input: text, offset: failure.offset, reason: failure.reason))
        }

        var integer = scan.integerDigits
        while let first = integer.first, bytes[first] == UInt8(ascii: "0") { integer = integer.dropFirst() }
        let fraction = scan.fractionDigits ?? scan.suffixStart..<scan.suffixStart
        var significantFraction = fraction
        if integer.isEmpty {
            while let first = significantFraction.first, bytes[first] == UInt8(ascii: "0") {
                significantFraction = significantFraction.dropFirst()
            }
        }

        let decimalExponent: Int
        var binaryPower = 0
        var format: Format
        switch scan.suffix {
        case .decimalSI(let exponent):
            decimalExponent = exponent
            format = .decimalSI
        case .exponent(let exponent):
            decimalExponent = exponent
            format = .decimalExponent
        case .binarySI(let power):
            decimalExponent = 0
            binaryPower = power
            format = .binarySI
        }

        // The leading digit sits at 10^(integer.count - 1 + decimalExponent); a number with
        // no integer digits is below 10^decimalExponent, within the limit already.
        if !integer.isEmpty, integer.count - 1 + decimalExponent >= exponentLimit {
            let numberStart = scan.isNegative || scan.hasPlusSign ? 1 : 0
            return .failure(QuantityError(input: text, offset: numberStart, reason: .valueOutOfRange))
        }

        var coefficient = BigNatural(digitsIn: bytes, integer, significantFraction)
        if binaryPower > 0 { coefficient = coefficient.multiplied(by: 1 << UInt64(binaryPower)) }
        var amount = ExactDecimal(
            negative: scan.isNegative, coefficient: coefficient, exponent: decimalExponent - fraction.count
        ).roundedAwayFromZero(toExponent: -9)

        if format == .binarySI {
            if ExactDecimal.compareMagnitudes(amount, Self.maximumBinaryAmount) > 0 {
                amount = scan.isNegative ? Self.maximumBinaryAmount.negated : Self.maximumBinaryAmount
            }
            if !amount.isZero, ExactDecimal.compareMagnitudes(amount, Self.oneAmount) < 0 {
                format = .decimalSI
            }
        }

        var quantity = Quantity(amount: amount, format: format)
        quantity.upstreamEchoesText = Self.upstreamEchoesText(scan, in: bytes)
        return .success(quantity)
    }

    private static let maximumBinaryAmount = ExactDecimal(Int64.max)
    private static let oneAmount = ExactDecimal(1)

    // MARK: - Printing

    /// The canonical form, as `kubectl get -o yaml` shows it: no fractional digits, the
    /// largest suffix of the quantity's format that keeps the value exact (`1.5Gi` ->
    /// `1536Mi`, `0.5` -> `500m`, `1000M` -> `1G`, `1e100` -> `10e99`), `0` for zero.
    public var canonical: String {
        guard !amount.isZero else { return "0" }
        var result = amount.isNegative ? "-" : ""
        if format == .binarySI, let (mantissa, power) = binaryForm(maximumPower: 6) {
            result += mantissa.decimalString
            result += Self.binarySuffixes[power]
            return result
        }
        let (mantissa, exponent) = amount.engineeringForm
        result += mantissa.decimalString
        if format == .decimalExponent {
            if exponent != 0 { result += "e" + String(exponent) }
        } else if let suffix = Self.decimalSuffix(exponent) {
            result += suffix
        } else {
            // Beyond E: upstream prints the mantissa alone (1000E -> "1"), a wrong value.
            result += "e" + String(exponent)
        }
        return result
    }

    public var description: String { canonical }

    /// The exact decimal value without exponent: `0.5`, `-1.5`, `134217728`.
    public var exact: String { amount.plainString }

    /// The mantissa and power of 1024 of a binary-SI rendering, when the value is a whole
    /// number of at least 1024 in magnitude (upstream's rule); powers stop at `maximumPower`.
    func binaryForm(maximumPower: Int?) -> (mantissa: BigNatural, power: Int)? {
        guard var mantissa = amount.magnitude.integerMagnitude, !(mantissa < BigNatural(1024)) else { return nil }
        var power = 0
        while power < maximumPower ?? Int.max {
            let (quotient, remainder) = mantissa.quotientAndRemainder(dividingBy: 1024)
            guard remainder == 0 else { break }
            mantissa = quotient
            power += 1
        }
        return (mantissa, power)
    }

    static let binarySuffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]

    static func decimalSuffix(_ exponent: Int) -> String? {
        switch exponent {
        case -9: return "n"
        case -6: return "u"
        case -3: return "m"
        case 0: return ""
        case 3: return "k"
        case 6: return "M"
        case 9: return "G"
        case 12: return "T"
        case 15: return "P"
        case 18: return "E"
        default: return nil
        }
    }

    // MARK: - Values

    /// Upstream `Value()`: the value rounded up (away from zero) to an integer; nil when
    /// that does not fit in an Int64.
    public var value: Int64? { scaledValue(exponent: 0) }

    /// Upstream `MilliValue()`: the value in thousandths, rounded up (away from zero); nil
    /// when that does not fit in an Int64.
    public var milliValue: Int64? { scaledValue(exponent: -3) }

    /// Upstream `ScaledValue(scale)`: value / 10^exponent rounded up (away from zero); nil
    /// when that does not fit in an Int64. `scaledValue(exponent: -9)` is in nanos.
    public func scaledValue(exponent: Int) -> Int64? {
        amount.integerRoundedAwayFromZero(timesPowerOfTen: -exponent)
    }

    public var isZero: Bool { amount.isZero }

    public var isNegative: Bool { amount.isNegative }

    /// The nearest Double, for display conversions (cores, MiB); ±infinity beyond its range.
    public var doubleValue: Double { amount.doubleValue }

    // MARK: - Arithmetic

    /// The exact product, in this quantity's format (upstream `Mul`): a downward API file
    /// integer times its divisor. Unlike parsing, the product is not capped.
    public func multiplied(by factor: Int64) -> Quantity {
        Quantity(amount: amount.multiplied(by: factor), format: format)
    }

    public static func * (lhs: Quantity, rhs: Int64) -> Quantity {
        lhs.multiplied(by: rhs)
    }

    public static prefix func - (operand: Quantity) -> Quantity {
        Quantity(amount: operand.amount.negated, format: operand.format)
    }

    public static func == (lhs: Quantity, rhs: Quantity) -> Bool {
        lhs.amount == rhs.amount
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(amount)
    }

    public static func < (lhs: Quantity, rhs: Quantity) -> Bool {
        lhs.amount < rhs.amount
    }
}
