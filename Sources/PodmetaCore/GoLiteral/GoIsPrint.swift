/// Go 1.19's `strconv.IsPrint` and `strconv.IsGraphic`, ported with their tables
/// (`GoIsPrintTables.swift`) rather than built on Swift's Unicode properties: Swift's
/// Unicode version and Go's differ, and `GoStringLiteral.quote` must decide exactly as the
/// Go binary whose output we reproduce.
enum GoIsPrint {
    /// Whether Go 1.19 considers `rune` printable: letters, marks, numbers, punctuation,
    /// symbols and the ASCII space (`unicode.IsPrint`). Values above U+10FFFF and
    /// surrogates are not printable.
    static func isPrint(_ rune: UInt32) -> Bool {
        if rune <= 0xFF {
            if 0x20 <= rune && rune <= 0x7E { return true }
            // U+00AD SOFT HYPHEN is format (Cf), the only non-printable rune of ¡…ÿ.
            if 0xA1 <= rune && rune <= 0xFF { return rune != 0xAD }
            return false
        }
        // Find the first table entry >= rune: an even index starts a range that may hold
        // rune, an odd one ends it. Inside a range, the exception list has the last word.
        if rune < 0x1_0000 {
            let r = UInt16(truncatingIfNeeded: rune)
            let i = lowerBound(isPrint16, r)
            if i >= isPrint16.count || r < isPrint16[i & ~1] || isPrint16[i | 1] < r {
                return false
            }
            let j = lowerBound(isNotPrint16, r)
            return j >= isNotPrint16.count || isNotPrint16[j] != r
        }
        let i = lowerBound(isPrint32, rune)
        if i >= isPrint32.count || rune < isPrint32[i & ~1] || isPrint32[i | 1] < rune {
            return false
        }
        if rune >= 0x2_0000 { return true }
        let r = UInt16(truncatingIfNeeded: rune - 0x1_0000)
        let j = lowerBound(isNotPrint32, r)
        return j >= isNotPrint32.count || isNotPrint32[j] != r
    }

    /// Whether Go 1.19 considers `rune` graphic (`unicode.IsGraphic`): printable, or one of
    /// the few spaces of category Zs that IsPrint rejects. `strconv.QuoteToGraphic` uses it;
    /// `strconv.Quote`, and so the kubelet, does not.
    static func isGraphic(_ rune: UInt32) -> Bool {
        if isPrint(rune) { return true }
        // makeisprint.go guarantees the list holds 16-bit runes only.
        guard rune <= 0xFFFF else { return false }
        let r = UInt16(truncatingIfNeeded: rune)
        let i = lowerBound(isGraphic, r)
        return i < isGraphic.count && isGraphic[i] == r
    }

    /// The smallest index `i` with `table[i] >= value`, or `table.count` (Go's bsearch16/32).
    private static func lowerBound<T: FixedWidthInteger>(_ table: [T], _ value: T) -> Int {
        var low = 0
        var high = table.count
        while low < high {
            let mid = low + (high - low) / 2
            if table[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
