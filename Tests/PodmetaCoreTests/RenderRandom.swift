/// A fixed-seed PRNG (SplitMix64) for the property tests: the same seed gives the same
/// cases on every machine and every run, so a failure can be reproduced from its seed.
struct RenderRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Bytes that break naive quoting, mixed with arbitrary ones (invalid UTF-8 included).
    static let awkwardBytes: [UInt8] = Array("'\"\\$`\n\r\t !#=:;&|<>(){}*?~%".utf8) + [0x00, 0x7F, 0x80, 0xC3, 0xA9, 0xE2, 0x80, 0xA8, 0xF0, 0x9F, 0x98, 0x80, 0xFF]

    /// 0 to `maxLength` bytes, about half of them from ``awkwardBytes``.
    mutating func bytes(maxLength: Int) -> [UInt8] {
        let count = Int.random(in: 0...maxLength, using: &self)
        return (0..<count).map { _ in
            Bool.random(using: &self) ? Self.awkwardBytes.randomElement(using: &self)! : UInt8.random(in: 0...255, using: &self)
        }
    }

    /// A String from random bytes, as the volume reader makes one (invalid UTF-8 becomes U+FFFD).
    mutating func string(maxLength: Int) -> String {
        String(decoding: bytes(maxLength: maxLength), as: UTF8.self)
    }
}
