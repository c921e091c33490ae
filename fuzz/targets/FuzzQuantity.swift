/// Kubernetes quantities (`resource.ParseQuantity`): `podmeta quantity`, resource files.
enum FuzzQuantity {
    static func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let quantity = try? Quantity(parsing: text) else { return }
        // The canonical form is a quantity that re-parses to the same value and the same text.
        let canonical = quantity.canonical
        guard let reparsed = try? Quantity(parsing: canonical) else {
            fatalError("canonical form \(canonical.debugDescription) of \(text.debugDescription) does not parse")
        }
        fuzzCheck(reparsed == quantity, "\(canonical) re-parses to another value than \(text.debugDescription)")
        // Re-parsing may change the format (`12359.375Ki` is `12656000` in BinarySI, which
        // re-parses as DecimalSI `12656k`, as upstream does); with the format, the text is stable.
        if reparsed.format == quantity.format {
            fuzzCheck(reparsed.canonical == canonical, "canonical form of \(canonical) is \(reparsed.canonical)")
        }
        let third = try? Quantity(parsing: reparsed.canonical)
        fuzzCheck(third?.canonical == reparsed.canonical, "canonical form of \(reparsed.canonical) is not a fixpoint")
        fuzzCheck(
            (try? Quantity(parsing: quantity.exact)) == quantity, "exact form of \(text.debugDescription) differs")
        // The accessors the renderers use never trap.
        _ = quantity.value
        _ = quantity.milliValue
        _ = quantity.doubleValue
        _ = -quantity
        _ = quantity < reparsed
    }
}
