/// A port of apimachinery's selector `Parser`: scans the whole input first, then descends
/// with one token of lookahead. Error texts are upstream's.
struct SelectorParser {
    /// Whether `in`/`notin` are keywords (after a key) or plain identifiers (as values:
    /// `x in (in,notin)`, `notin=in`).
    enum Context {
        case keyAndOperator
        case values
    }

    let input: String
    private(set) var scannedItems: [SelectorScannedItem] = []
    private(set) var position = 0

    init(_ input: String) {
        self.input = input
    }

    /// Upstream's `binaryOperators`, as printed in "expected:" messages.
    static let binaryOperatorNames = "in, notin, =, ==, !=, gt, lt"

    mutating func scan() {
        var lexer = SelectorLexer(input)
        while true {
            let item = lexer.lex()
            scannedItems.append(item)
            if item.token == .endOfString { break }
        }
    }

    func lookahead(_ context: Context) -> SelectorScannedItem {
        var item = scannedItems[position]
        if context == .values && (item.token == .in || item.token == .notIn) { item.token = .identifier }
        return item
    }

    mutating func consume(_ context: Context) -> SelectorScannedItem {
        let item = lookahead(context)
        position += 1
        return item
    }

    private func error(_ reason: String, at item: SelectorScannedItem) -> SelectorError {
        SelectorError(input: input, offset: item.offset, reason: reason)
    }

    /// The requirements in input order.
    mutating func parse() throws(SelectorError) -> [LabelRequirement] {
        scan()
        var requirements: [LabelRequirement] = []
        while true {
            let next = lookahead(.values)
            switch next.token {
            case .identifier, .doesNotExist:
                requirements.append(try parseRequirement())
                let separator = consume(.values)
                switch separator.token {
                case .endOfString:
                    return requirements
                case .comma:
                    let after = lookahead(.values)
                    if after.token != .identifier && after.token != .doesNotExist {
                        throw error("found '\(after.literal)', expected: identifier after ','", at: after)
                    }
                default:
                    throw error("found '\(separator.literal)', expected: ',' or 'end of string'", at: separator)
                }
            case .endOfString:
                return requirements
            default:
                throw error("found '\(next.literal)', expected: !, identifier, or 'end of string'", at: next)
            }
        }
    }

    mutating func parseRequirement() throws(SelectorError) -> LabelRequirement {
        let start = lookahead(.values)
        let (key, inferred) = try parseKeyAndInferOperator()
        if let inferred {
            return try requirement(key, inferred, [], at: start)
        }
        let op = try parseOperator()
        let values: [String]
        switch op {
        case .in, .notIn: values = try parseValues()
        default: values = try parseExactValue()
        }
        return try requirement(key, op, values, at: start)
    }

    private func requirement(
        _ key: String, _ op: LabelRequirement.Operator, _ values: [String], at item: SelectorScannedItem
    ) throws(SelectorError) -> LabelRequirement {
        do {
            return try LabelRequirement(key: key, operator: op, values: values)
        } catch {
            throw SelectorError(input: input, offset: item.offset, reason: error.reason)
        }
    }

    /// The key, and `exists`/`doesNotExist` when no operator follows (nil: one does).
    mutating func parseKeyAndInferOperator() throws(SelectorError) -> (String, LabelRequirement.Operator?) {
        var op: LabelRequirement.Operator?
        var item = consume(.values)
        if item.token == .doesNotExist {
            op = .doesNotExist
            item = consume(.values)
        }
        guard item.token == .identifier else {
            throw error("found '\(item.literal)', expected: identifier", at: item)
        }
        let problems = LabelSyntax.keyProblems(item.literal)
        guard problems.isEmpty else {
            throw error("invalid label key \"\(item.literal)\": \(problems.joined(separator: "; "))", at: item)
        }
        let next = lookahead(.values).token
        if next == .endOfString || next == .comma {
            if op != .doesNotExist { op = .exists }
        }
        // "!x=a": the requirement is "!x" and the caller then trips over "=", as upstream.
        return (item.literal, op)
    }

    mutating func parseOperator() throws(SelectorError) -> LabelRequirement.Operator {
        let item = consume(.keyAndOperator)
        switch item.token {
        case .in: return .in
        case .equals: return .equals
        case .doubleEquals: return .doubleEquals
        case .greaterThan: return .greaterThan
        case .lessThan: return .lessThan
        case .notIn: return .notIn
        case .notEquals: return .notEquals
        default:
            throw error("found '\(item.literal)', expected: \(SelectorParser.binaryOperatorNames)", at: item)
        }
    }

    /// `(a,b,...)`: sorted and deduplicated as upstream's `sets.String` does.
    mutating func parseValues() throws(SelectorError) -> [String] {
        let open = consume(.values)
        guard open.token == .openPar else { throw error("found '\(open.literal)' expected: '('", at: open) }
        let first = lookahead(.values)
        switch first.token {
        case .identifier, .comma:
            let values = try parseIdentifiersList()
            let close = consume(.values)
            guard close.token == .closedPar else {
                // Upstream reports the literal it looked at before the list.
                throw error("found '\(first.literal)', expected: ')'", at: close)
            }
            return values
        case .closedPar:
            _ = consume(.values)
            return [""]
        default:
            throw error("found '\(first.literal)', expected: ',', ')' or identifier", at: first)
        }
    }

    mutating func parseIdentifiersList() throws(SelectorError) -> [String] {
        var set = Set<String>()
        while true {
            let item = consume(.values)
            switch item.token {
            case .identifier:
                set.insert(item.literal)
                let next = lookahead(.values)
                switch next.token {
                case .comma: continue
                case .closedPar: return LabelRequirement.sortedValues(set)
                default: throw error("found '\(next.literal)', expected: ',' or ')'", at: next)
                }
            case .comma:
                // "(,", ",)" and ",," each stand for an empty value.
                if set.isEmpty { set.insert("") }
                let next = lookahead(.values).token
                if next == .closedPar {
                    set.insert("")
                    return LabelRequirement.sortedValues(set)
                }
                if next == .comma { set.insert("") }
            default:
                throw error("found '\(item.literal)', expected: ',', or identifier", at: item)
            }
        }
    }

    mutating func parseExactValue() throws(SelectorError) -> [String] {
        let next = lookahead(.values)
        if next.token == .endOfString || next.token == .comma { return [""] }
        let item = consume(.values)
        guard item.token == .identifier else { throw error("found '\(item.literal)', expected: identifier", at: item) }
        return [item.literal]
    }
}
