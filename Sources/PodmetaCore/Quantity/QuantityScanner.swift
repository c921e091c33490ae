/// The syntax of a quantity: `[sign] digits [. digits] suffix`, nothing computed yet.
///
/// Kept apart from the arithmetic so that the API-server emulation (which needs to know
/// exactly how the text was written, see `Quantity+Upstream.swift`) reads the same scan.
struct QuantityScanner {
    enum Suffix: Equatable {
        /// "", n, u, m, k, M, G, T, P, E: a power of ten.
        case decimalSI(Int)
        /// Ki ... Ei: a power of two (10, 20, ... 60).
        case binarySI(Int)
        /// e<n> or E<n>: an explicit power of ten.
        case exponent(Int)
    }

    struct Scan {
        var isNegative: Bool
        var hasPlusSign: Bool
        /// Digits before the point, leading zeros included.
        var integerDigits: Range<Int>
        /// Digits after the point; nil when there is no point at all.
        var fractionDigits: Range<Int>?
        var suffix: Suffix
        /// Where the suffix starts (== the end of the number).
        var suffixStart: Int
        var end: Int
    }

    struct Failure: Error {
        var offset: Int
        var reason: QuantityError.Reason
    }

    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<Scan, Failure> {
        let end = bytes.count
        guard end > 0 else { return .failure(Failure(offset: 0, reason: .empty)) }
        var position = 0
        var isNegative = false
        var hasPlusSign = false
        if bytes[0] == UInt8(ascii: "-") {
            isNegative = true
            position = 1
        } else if bytes[0] == UInt8(ascii: "+") {
            hasPlusSign = true
            position = 1
        }
        let integerStart = position
        while position < end, isDigit(bytes[position]) { position += 1 }
        let integerDigits = integerStart..<position
        var fractionDigits: Range<Int>?
        if position < end, bytes[position] == UInt8(ascii: ".") {
            position += 1
            let fractionStart = position
            while position < end, isDigit(bytes[position]) { position += 1 }
            fractionDigits = fractionStart..<position
        }
        if integerDigits.isEmpty && (fractionDigits?.isEmpty ?? true) {
            return .failure(Failure(offset: position, reason: .missingDigits))
        }
        switch suffix(bytes, from: position) {
        case .success(let suffix):
            return .success(
                Scan(
                    isNegative: isNegative, hasPlusSign: hasPlusSign, integerDigits: integerDigits,
                    fractionDigits: fractionDigits, suffix: suffix, suffixStart: position, end: end))
        case .failure(let failure):
            return .failure(failure)
        }
    }

    private static func suffix(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Result<Suffix, Failure> {
        let length = bytes.count - start
        if length == 0 { return .success(.decimalSI(0)) }
        let first = bytes[start]
        if length == 1 {
            switch first {
            case UInt8(ascii: "n"): return .success(.decimalSI(-9))
            case UInt8(ascii: "u"): return .success(.decimalSI(-6))
            case UInt8(ascii: "m"): return .success(.decimalSI(-3))
            case UInt8(ascii: "k"): return .success(.decimalSI(3))
            case UInt8(ascii: "M"): return .success(.decimalSI(6))
            case UInt8(ascii: "G"): return .success(.decimalSI(9))
            case UInt8(ascii: "T"): return .success(.decimalSI(12))
            case UInt8(ascii: "P"): return .success(.decimalSI(15))
            case UInt8(ascii: "E"): return .success(.decimalSI(18))
            default: break
            }
        }
        if length == 2, bytes[start + 1] == UInt8(ascii: "i") {
            switch first {
            case UInt8(ascii: "K"): return .success(.binarySI(10))
            case UInt8(ascii: "M"): return .success(.binarySI(20))
            case UInt8(ascii: "G"): return .success(.binarySI(30))
            case UInt8(ascii: "T"): return .success(.binarySI(40))
            case UInt8(ascii: "P"): return .success(.binarySI(50))
            case UInt8(ascii: "E"): return .success(.binarySI(60))
            default: break
            }
        }
        if first == UInt8(ascii: "e") || first == UInt8(ascii: "E") {
            return exponent(bytes, from: start)
        }
        return .failure(Failure(offset: start, reason: .unknownSuffix(text(bytes, start..<bytes.count))))
    }

    /// `[eE] [+-] digits`, bounded by ±Quantity.exponentLimit.
    private static func exponent(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Result<Suffix, Failure> {
        var position = start + 1
        var negative = false
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") || bytes[position] == UInt8(ascii: "+") {
            negative = bytes[position] == UInt8(ascii: "-")
            position += 1
        }
        let digitsStart = position
        guard digitsStart < bytes.count else {
            return .failure(Failure(offset: start, reason: .missingExponentDigits))
        }
        // Saturate instead of overflowing: anything past the limit is rejected anyway.
        var magnitude = 0
        while position < bytes.count, isDigit(bytes[position]) {
            magnitude = min(magnitude * 10 + Int(bytes[position] &- 0x30), Quantity.exponentLimit + 1)
            position += 1
        }
        guard position == bytes.count else {
            return .failure(Failure(offset: start, reason: .unknownSuffix(text(bytes, start..<bytes.count))))
        }
        guard magnitude <= Quantity.exponentLimit else {
            return .failure(Failure(offset: start, reason: .exponentOutOfRange(text(bytes, start..<bytes.count))))
        }
        return .success(.exponent(negative ? -magnitude : magnitude))
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    private static func text(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}
