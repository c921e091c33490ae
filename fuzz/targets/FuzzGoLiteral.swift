/// Go string literals (`strconv.Unquote`/`Quote`): the values of the kubelet's map files.
enum FuzzGoLiteral {
    static func run(_ bytes: [UInt8]) {
        // Any bytes are a Go string value: quoting must give a literal that decodes back.
        let quoted = GoStringLiteral.quote(bytes)
        let back = try? GoStringLiteral.unquote(Array(quoted.utf8))
        fuzzCheck(back == bytes, "unquote(quote(x)) != x for \(bytes)")

        // The input as a literal: whatever decodes must re-quote to a literal with the same value,
        // and quoting is canonical (quoting the value of the re-quoted literal changes nothing).
        guard let value = try? GoStringLiteral.unquote(bytes) else { return }
        let requoted = GoStringLiteral.quote(value)
        let again = try? GoStringLiteral.unquote(Array(requoted.utf8))
        fuzzCheck(again == value, "unquote(quote(unquote(x))) != unquote(x) for \(bytes)")
        fuzzCheck(GoStringLiteral.quote(again ?? []) == requoted, "quote is not canonical for \(bytes)")
    }
}
