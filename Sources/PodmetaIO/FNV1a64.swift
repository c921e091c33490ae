/// 64-bit FNV-1a: a cheap, dependency-free fingerprint for change detection (not for
/// security; a collision only delays a trigger until the resync).
struct FNV1a64: Equatable {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func combine(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01b3
        }
    }

    mutating func combine(_ text: String) {
        combine(text.utf8)
        // A separator, so ("ab", "c") and ("a", "bc") differ.
        combine(CollectionOfOne(0))
    }
}
