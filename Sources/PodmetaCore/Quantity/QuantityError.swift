/// Why a string is not a Kubernetes quantity, and where.
///
/// `description` is one sentence, e.g.
/// `invalid quantity "1KiB": unknown suffix "KiB" at byte 1`.
public struct QuantityError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// The text is empty.
        case empty
        /// No digit where the number should be (`Mi`, `-`, `.`, `Infinity`). Upstream reads
        /// a bare suffix as zero (apimachinery#165); we reject it.
        case missingDigits
        /// What follows the number is not a suffix (`KiB`, `K`, ` Mi`, `.5` in `1.5.5`).
        case unknownSuffix(String)
        /// `e` or `E` followed by a sign but no digits (`1e`, `1e+`). A lone `E` is exa.
        case missingExponentDigits
        /// The exponent is beyond ±``Quantity/exponentLimit``. Upstream truncates it to 32
        /// bits (`1e4294967296` is 1 there) or exhausts memory; we reject it.
        case exponentOutOfRange(String)
        /// The number is 10^``Quantity/exponentLimit`` or more in magnitude.
        case valueOutOfRange
    }

    /// The text that failed to parse.
    public let input: String
    /// Byte offset into the UTF-8 of `input` where the problem starts.
    public let offset: Int
    public let reason: Reason

    public init(input: String, offset: Int, reason: Reason) {
        self.input = input
        self.offset = offset
        self.reason = reason
    }

    public var description: String {
        let what: String
        switch reason {
        case .empty:
            return "invalid quantity \"\": the text is empty"
        case .missingDigits:
            what = "expected a digit"
        case .unknownSuffix(let suffix):
            what = "unknown suffix \(Self.quoted(suffix))"
        case .missingExponentDigits:
            what = "the exponent has no digits"
        case .exponentOutOfRange(let exponent):
            what = "exponent \(Self.quoted(exponent)) is outside -\(Quantity.exponentLimit)...\(Quantity.exponentLimit)"
        case .valueOutOfRange:
            what = "the value is 10^\(Quantity.exponentLimit) or more in magnitude"
        }
        return "invalid quantity \(Self.quoted(input)): \(what) at byte \(offset)"
    }

    /// Quoted and escaped like a Swift literal, cut short so that a megabyte of garbage
    /// does not become a megabyte of error message.
    static func quoted(_ text: String) -> String {
        let limit = 40
        guard text.count > limit else { return text.debugDescription }
        return String(text.prefix(limit)).debugDescription + "…"
    }
}
