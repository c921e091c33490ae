/// Go's `utf8.DecodeRune`, which strconv's Quote and Unquote are built on.
///
/// Go replaces each byte of an ill-formed sequence on its own (width 1), where Swift's
/// decoder replaces a maximal subpart (`E2 82 41` is two errors in Go, one in Swift): the
/// literal codec must follow Go to match its output byte for byte.
enum GoUTF8 {
    /// One decoded rune: `scalar` is meaningful only when `isValid`.
    struct Decoded {
        var scalar: UInt32
        var width: Int
        var isValid: Bool
    }

    /// Decodes the rune starting at `bytes[index]`, which must be a valid index. A byte
    /// that does not start a well-formed sequence (stray continuation byte, overlong form,
    /// encoded surrogate, value above U+10FFFF, truncated sequence) decodes as invalid with
    /// width 1.
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Decoded {
        let b0 = bytes[index]
        if b0 < 0x80 { return Decoded(scalar: UInt32(b0), width: 1, isValid: true) }
        let invalid = Decoded(scalar: 0xFFFD, width: 1, isValid: false)
        let available = bytes.count - index

        // The accepted range of the second byte depends on the first (Unicode Table 3-7);
        // later bytes are always 0x80...0xBF.
        let width: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: width = 2
        case 0xE0: width = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: width = 3
        case 0xED: width = 3; high = 0x9F
        case 0xF0: width = 4; low = 0x90
        case 0xF1...0xF3: width = 4
        case 0xF4: width = 4; high = 0x8F
        default: return invalid
        }
        guard available >= width else { return invalid }
        let b1 = bytes[index + 1]
        guard low <= b1 && b1 <= high else { return invalid }
        switch width {
        case 2:
            return Decoded(scalar: UInt32(b0 & 0x1F) << 6 | UInt32(b1 & 0x3F), width: 2, isValid: true)
        case 3:
            let b2 = bytes[index + 2]
            guard 0x80 <= b2 && b2 <= 0xBF else { return invalid }
            let scalar = UInt32(b0 & 0x0F) << 12 | UInt32(b1 & 0x3F) << 6 | UInt32(b2 & 0x3F)
            return Decoded(scalar: scalar, width: 3, isValid: true)
        default:
            let b2 = bytes[index + 2]
            let b3 = bytes[index + 3]
            guard 0x80 <= b2 && b2 <= 0xBF && 0x80 <= b3 && b3 <= 0xBF else { return invalid }
            let scalar =
                UInt32(b0 & 0x07) << 18 | UInt32(b1 & 0x3F) << 12
                | UInt32(b2 & 0x3F) << 6 | UInt32(b3 & 0x3F)
            return Decoded(scalar: scalar, width: 4, isValid: true)
        }
    }

    /// The index of the first byte that does not start a well-formed UTF-8 sequence, or
    /// nil when all of `bytes` is valid UTF-8.
    static func firstInvalidIndex(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = ByteScan.asciiRunEnd(in: bytes, from: 0)
        while index < bytes.count {
            if bytes[index] < 0x80 {
                index = ByteScan.asciiRunEnd(in: bytes, from: index + 1)
                continue
            }
            let decoded = decode(bytes, at: index)
            if !decoded.isValid { return index }
            index += decoded.width
        }
        return nil
    }

    /// Appends the UTF-8 encoding of `scalar`, which must be a Unicode scalar value.
    @inline(__always)
    static func append(_ scalar: UInt32, to output: inout [UInt8]) {
        switch scalar {
        case ..<0x80:
            output.append(UInt8(truncatingIfNeeded: scalar))
        case ..<0x800:
            output.append(0xC0 | UInt8(truncatingIfNeeded: scalar >> 6))
            output.append(0x80 | UInt8(truncatingIfNeeded: scalar) & 0x3F)
        case ..<0x1_0000:
            output.append(0xE0 | UInt8(truncatingIfNeeded: scalar >> 12))
            output.append(0x80 | UInt8(truncatingIfNeeded: scalar >> 6) & 0x3F)
            output.append(0x80 | UInt8(truncatingIfNeeded: scalar) & 0x3F)
        default:
            output.append(0xF0 | UInt8(truncatingIfNeeded: scalar >> 18))
            output.append(0x80 | UInt8(truncatingIfNeeded: scalar >> 12) & 0x3F)
            output.append(0x80 | UInt8(truncatingIfNeeded: scalar >> 6) & 0x3F)
            output.append(0x80 | UInt8(truncatingIfNeeded: scalar) & 0x3F)
        }
    }
}
