extension SplitMix64 {
    mutating func digits(_ count: Int) -> String {
        String((0..<count).map { _ in Character(String(below(10))) })
    }

    /// Characters a quantity is made of, plus near misses, in random order.
    mutating func noise(maxLength: Int) -> String {
        let alphabet = Array("0123456789012345678900000.+-eEinumkKMGTPi .x_Bµ")
        return String((0..<below(maxLength + 1)).map { _ in alphabet[below(alphabet.count)] })
    }

    /// Mostly well-formed quantities: sign, digits with leading zeros, a point, fractions,
    /// every suffix, exponents up to and past the bound, long digit strings.
    mutating func quantityLike() -> String {
        var text = ["", "", "", "-", "+"][below(5)]
        let integerLength = [0, 1, 1, 2, 3, 5, 18, 19, 20, 40][below(10)]
        if below(6) == 0 { text += String(repeating: "0", count: 1 + below(3)) }
        text += digits(integerLength)
        if below(2) == 0 {
            text += "."
            text += digits([0, 1, 3, 9, 10, 12, 25][below(7)])
        }
        switch below(10) {
        case 0...3:
            text += ["", "n", "u", "m", "k", "M", "G", "T", "P", "E"][below(10)]
        case 4...6:
            text += ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][below(6)]
        case 7...8:
            text += ["e", "E"][below(2)] + ["", "+", "-"][below(3)]
            text += String([0, 1, 3, 9, 17, 18, 19, 21, 300, 999, 1000, 1001][below(12)] + below(3))
        default:
            text += ["K", "KiB", "e", "i", " ", "mi", "E+"][below(7)]
        }
        return text
    }
}
