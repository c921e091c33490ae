/// Word-at-a-time byte searches for the map file parser and the literal decoder: an
/// annotations file is up to 256 KiB of mostly plain ASCII, and testing 8 bytes per step
/// keeps the common case close to memory speed without platform calls such as memchr.
enum ByteScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Non-zero iff some byte of `word` is zero (exact as a yes/no answer).
    @inline(__always)
    private static func hasZeroByte(_ word: UInt64) -> Bool {
        (word &- ones) & ~word & highBits != 0
    }

    @inline(__always)
    private static func load(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> UInt64 {
        // Byte order does not matter: each test asks whether any byte matches.
        UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self)
    }

    /// The first index in `start..<end` holding `target`, or `end`.
    static func firstIndex(of target: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int
    {
        var index = start
        let pattern = ones &* UInt64(target)
        while index + 8 <= end, !hasZeroByte(load(bytes, index) ^ pattern) {
            index += 8
        }
        while index < end && bytes[index] != target { index += 1 }
        return index
    }

    /// The end of the run of bytes from `start` that a Go literal copies as they are:
    /// ASCII other than `"`, `\` and line feed. Returns `bytes.count` if the run reaches it.
    static func plainLiteralRunEnd(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let count = bytes.count
        let quotes = ones &* UInt64(UInt8(ascii: "\""))
        let backslashes = ones &* UInt64(UInt8(ascii: "\\"))
        let newlines = ones &* UInt64(UInt8(ascii: "\n"))
        var index = start
        while index + 8 <= count {
            let word = load(bytes, index)
            if word & highBits != 0 || hasZeroByte(word ^ quotes) || hasZeroByte(word ^ backslashes)
                || hasZeroByte(word ^ newlines)
            {
                break
            }
            index += 8
        }
        while index < count {
            let byte = bytes[index]
            if byte >= 0x80 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\n") {
                break
            }
            index += 1
        }
        return index
    }

    /// The end of the run of ASCII bytes from `start`, or `bytes.count`.
    static func asciiRunEnd(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let count = bytes.count
        var index = start
        while index + 8 <= count && load(bytes, index) & highBits == 0 { index += 8 }
        while index < count && bytes[index] < 0x80 { index += 1 }
        return index
    }
}
