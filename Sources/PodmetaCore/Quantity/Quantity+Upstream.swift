/// Emulation of what the Go API server prints for a quantity, quirks included.
///
/// podmeta never shows this to users; divisor validation needs it, because the API server
/// checks `divisor.String()` against a list of spellings, and `String()` is not always the
/// canonical form: `ParseQuantity` caches the input text when it looks canonical enough
/// (so `+1` stays `+1` and is rejected as a divisor), and decimal SI beyond 10^18 loses
/// its suffix (`1000E` prints as `1`, which the list accepts). The oracle test checks this
/// emulation against the real Go code row by row.
extension Quantity {
    /// Upstream `String()` of the quantity parsed from `text`.
    func upstreamString(parsedFrom text: String) -> String {
        upstreamEchoesText ? text : upstreamCanonical
    }

    /// Upstream `String()` when no text is cached: ``canonical`` except that a suffix
    /// upstream has no spelling for is dropped (decimal SI beyond E, binary beyond Ei).
    var upstreamCanonical: String {
        guard !amount.isZero else { return "0" }
        var result = amount.isNegative ? "-" : ""
        if format == .binarySI, let (mantissa, power) = binaryForm(maximumPower: nil) {
            result += mantissa.decimalString
            if power < Self.binarySuffixes.count { result += Self.binarySuffixes[power] }
            return result
        }
        let (mantissa, exponent) = amount.engineeringForm
        result += mantissa.decimalString
        if format == .decimalExponent {
            if exponent != 0 { result += "e" + String(exponent) }
        } else {
            result += Self.decimalSuffix(exponent) ?? ""
        }
        return result
    }

    /// Whether upstream `ParseQuantity` caches the text (its int64 fast path, with the
    /// "looks canonical" test at the end) and that text differs from the canonical form.
    ///
    /// Mirrors quantity.go: `num` is the integer digits without leading zeros ("0" when
    /// none are left), `denom` the fraction digits, `scale` the exponent minus len(denom).
    static func upstreamEchoesText(_ scan: QuantityScanner.Scan, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var numStart = scan.integerDigits.lowerBound
        while numStart < scan.integerDigits.upperBound, bytes[numStart] == UInt8(ascii: "0") { numStart += 1 }
        let num = numStart..<scan.integerDigits.upperBound
        let numLength = max(num.count, 1)
        let denom = scan.fractionDigits ?? scan.suffixStart..<scan.suffixStart
        // A sign, leading zeros or a decimal point never survive canonicalization.
        let decorated = scan.hasPlusSign || num.count != scan.integerDigits.count || scan.fractionDigits != nil

        switch scan.suffix {
        case .binarySI(let power):
            // Fast path: no fraction digits and few enough integer digits.
            guard denom.isEmpty, 15 - numLength - power * 3 / 10 - 1 >= 0 else { return false }
            var value = 0
            for index in num { value = value * 10 + Int(bytes[index] &- 0x30) }
            return value & 7 != 0 && decorated
        case .decimalSI(let exponent), .exponent(let exponent):
            let scale = exponent - denom.count
            guard 18 - (numLength + denom.count) >= 0, scale >= -9 else { return false }
            // shifted = num + denom: must not start with 0 nor end with 000.
            guard !num.isEmpty, scale % 3 == 0 else { return false }
            if num.count + denom.count >= 3 {
                var endsInThreeZeros = true
                for back in 1...3 {
                    let index = back <= denom.count ? denom.upperBound - back : num.upperBound - (back - denom.count)
                    if bytes[index] != UInt8(ascii: "0") { endsInThreeZeros = false }
                }
                if endsInThreeZeros { return false }
            }
            if decorated { return true }
            guard case .exponent = scan.suffix else { return false }
            // Upstream prints e<scale>, or nothing for scale 0: any other spelling is echoed.
            let written = UnsafeBufferPointer(rebasing: bytes[scan.suffixStart..<scan.end])
            let canonicalSuffix = scale == 0 ? "" : "e" + String(scale)
            return !written.elementsEqual(canonicalSuffix.utf8)
        }
    }
}
