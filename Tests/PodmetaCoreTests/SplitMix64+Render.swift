extension SplitMix64 {
    /// Bytes that break naive quoting, mixed with arbitrary ones (invalid UTF-8 included).
    static let awkwardBytes: [UInt8] =
        Array("'\"\\$`\n\r\t !#=:;&|<>(){}*?~%".utf8) + [
            0x00, 0x7F, 0x80, 0xC3, 0xA9, 0xE2, 0x80, 0xA8, 0xF0, 0x9F, 0x98, 0x80, 0xFF,
        ]

    /// 0 to `maxLength` bytes, about half of them from ``awkwardBytes``.
    mutating func bytes(maxLength: Int) -> [UInt8] {
        let count = Int.random(in: 0...maxLength, using: &self)
        return (0..<count).map { _ in
            Bool.random(using: &self)
                ? Self.awkwardBytes.randomElement(using: &self)! : UInt8.random(in: 0...255, using: &self)
        }
    }

    /// A String from random bytes, as the volume reader makes one (invalid UTF-8 becomes U+FFFD).
    mutating func string(maxLength: Int) -> String {
        String(decoding: bytes(maxLength: maxLength), as: UTF8.self)
    }
}
