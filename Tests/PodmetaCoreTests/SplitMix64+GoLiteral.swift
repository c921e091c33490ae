extension SplitMix64 {
    /// Random bytes biased toward what stresses Go quoting: backslashes, quotes, escape
    /// letters, controls, high bytes and valid multi-byte UTF-8 (including runes Go escapes).
    mutating func trickyBytes(maxLength: Int) -> [UInt8] {
        let length = below(maxLength + 1)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(length + 4)
        while bytes.count < length {
            switch below(16) {
            case 0, 1: bytes.append(UInt8(ascii: "\\"))
            case 2: bytes.append(UInt8(ascii: "\""))
            case 3: bytes.append(Array("xuU01234567'\n".utf8)[below(13)])
            case 4: bytes.append(UInt8(truncatingIfNeeded: below(0x20)))
            case 5: bytes.append(0x7F)
            case 6, 7: bytes.append(UInt8(truncatingIfNeeded: 0x80 + below(0x80)))
            case 8, 9:
                bytes.append(contentsOf: Self.sampleRunes[below(Self.sampleRunes.count)].utf8)
            case 10:
                if let scalar = Unicode.Scalar(UInt32(below(0x11_0000))) {
                    bytes.append(contentsOf: String(Character(scalar)).utf8)
                }
            default: bytes.append(UInt8(truncatingIfNeeded: 0x20 + below(0x5F)))
            }
        }
        return bytes
    }

    private static let sampleRunes: [String] = [
        "é", "€", "日", "😀", "\u{2028}", "\u{00A0}", "\u{00AD}", "\u{200B}", "\u{FEFF}",
        "\u{0085}", "\u{E000}", "\u{0378}", "\u{0301}", "\u{1FAE8}", "\u{10FFFF}", "\u{FFFD}",
    ]
}
