/// One condition of a label selector: a key, an operator, and the operator's values
/// (apimachinery `labels.Requirement`).
///
/// Always valid: the initializer applies upstream's `NewRequirement` checks.
public struct LabelRequirement: Sendable, Hashable, CustomStringConvertible {
    /// The operators of the selector grammar; raw values are upstream's `selection.Operator`.
    public enum Operator: String, Sendable, Hashable, CaseIterable {
        /// `key in (a,b)`: present with one of the values.
        case `in` = "in"
        /// `key notin (a,b)`: absent, or present with none of the values.
        case notIn = "notin"
        /// `key=a`
        case equals = "="
        /// `key==a`, the same as `=`.
        case doubleEquals = "=="
        /// `key!=a`: absent, or present with another value.
        case notEquals = "!="
        /// `key`
        case exists = "exists"
        /// `!key`
        case doesNotExist = "!"
        /// `key>1`: present with an integer value greater than the one given.
        case greaterThan = "gt"
        /// `key<1`: present with an integer value less than the one given.
        case lessThan = "lt"
    }

    public let key: String
    public let `operator`: Operator
    /// The values in the order given (the parser gives them sorted and deduplicated).
    public let values: [String]

    /// Upstream's `NewRequirement`: the key must be a valid label key; `in`/`notin` need at
    /// least one value, `=`/`==`/`!=` exactly one, `exists`/`!` none, `gt`/`lt` exactly one
    /// decimal 64-bit integer; every value must be a valid label value.
    public init(key: String, operator op: Operator, values: [String] = []) throws(SelectorError) {
        var problems: [String] = []
        let keyProblems = LabelSyntax.keyProblems(key)
        if !keyProblems.isEmpty {
            problems.append("invalid label key \"\(key)\": \(keyProblems.joined(separator: "; "))")
        }
        switch op {
        case .in, .notIn:
            if values.isEmpty { problems.append("for 'in', 'notin' operators, values set can't be empty") }
        case .equals, .doubleEquals, .notEquals:
            if values.count != 1 { problems.append("exact-match compatibility requires one single value") }
        case .exists, .doesNotExist:
            if !values.isEmpty { problems.append("values set must be empty for exists and does not exist") }
        case .greaterThan, .lessThan:
            if values.count != 1 { problems.append("for 'Gt', 'Lt' operators, exactly one value is required") }
            for value in values where Int64(value) == nil {
                problems.append("for 'Gt', 'Lt' operators, the value must be an integer, got \"\(value)\"")
            }
        }
        for value in values {
            let valueProblems = LabelSyntax.valueProblems(value)
            if !valueProblems.isEmpty {
                problems.append(
                    "invalid value \"\(value)\" for key \"\(key)\": \(valueProblems.joined(separator: "; "))")
            }
        }
        guard problems.isEmpty else { throw SelectorError(reason: problems.joined(separator: "; ")) }
        self.key = key
        self.operator = op
        self.values = values
    }

    /// Whether `labels` satisfy this requirement (upstream `Requirement.Matches`).
    public func matches(_ labels: [String: String]) -> Bool {
        switch self.operator {
        case .in, .equals, .doubleEquals:
            guard let value = labels[key] else { return false }
            return hasValue(value)
        case .notIn, .notEquals:
            guard let value = labels[key] else { return true }
            return !hasValue(value)
        case .exists:
            return labels[key] != nil
        case .doesNotExist:
            return labels[key] == nil
        case .greaterThan, .lessThan:
            // Go's strconv.ParseInt(s, 10, 64) and Swift's Int64(_:) accept the same texts:
            // an optional sign and decimal digits, nothing else.
            guard let text = labels[key], let actual = Int64(text), values.count == 1, let bound = Int64(values[0])
            else { return false }
            return self.operator == .greaterThan ? actual > bound : actual < bound
        }
    }

    /// Byte equality as in Go: Swift's == would let the Kelvin sign U+212A equal "K".
    private func hasValue(_ value: String) -> Bool {
        values.contains { $0.utf8.elementsEqual(value.utf8) }
    }

    /// Upstream's `Requirement.String()`: `!key`, `key`, `key=a`, `key==a`, `key!=a`,
    /// `key>1`, `key<1`, `key in (a,b)`, `key notin (a,b)`, several values in byte order.
    public var description: String {
        var text = self.operator == .doesNotExist ? "!" + key : key
        switch self.operator {
        case .exists, .doesNotExist: return text
        case .equals: text += "="
        case .doubleEquals: text += "=="
        case .notEquals: text += "!="
        case .in: text += " in "
        case .notIn: text += " notin "
        case .greaterThan: text += ">"
        case .lessThan: text += "<"
        }
        let list = values.count == 1 ? values[0] : LabelRequirement.sortedValues(values).joined(separator: ",")
        return self.operator == .in || self.operator == .notIn ? text + "(" + list + ")" : text + list
    }

    /// Go's `sort.Strings`: byte order.
    static func sortedValues<S: Sequence<String>>(_ values: S) -> [String] {
        values.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
