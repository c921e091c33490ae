import Testing

@testable import PodmetaCore

/// Ports of apimachinery `pkg/labels/selector_test.go` (tables kept in upstream's order;
/// upstream's names in the test names), followed by podmeta's own cases.
@Suite struct LabelSelectorTests {
    private func requirement(_ key: String, _ op: LabelRequirement.Operator, _ values: [String] = [])
        -> LabelRequirement
    {
        try! LabelRequirement(key: key, operator: op, values: LabelRequirement.sortedValues(Set(values)))
    }

    // MARK: TestSelectorParse

    @Test(arguments: ["x=a,y=b,z=c", "", "x!=a,y=b", "x=", "x= ", "x=,z= ", "x= ,z= ", "!x", "x>1", "x>1,z<5"])
    func selectorParseGood(text: String) throws {
        let selector = try LabelSelector(parsing: text)
        #expect(selector.description == String(text.filter { $0 != " " }))
    }

    @Test(arguments: ["x=a||y=b", "x==a==b", "!x=a", "x<a"])
    func selectorParseBad(text: String) {
        #expect(throws: SelectorError.self) { try LabelSelector(parsing: text) }
    }

    // MARK: TestDeterministicParse

    @Test func deterministicParse() throws {
        let s1 = try LabelSelector(parsing: "x=a,a=x")
        let s2 = try LabelSelector(parsing: "a=x,x=a")
        #expect(s1.description == s2.description)
        #expect(s1 == s2)
    }

    // MARK: TestEverything

    @Test func everything() {
        #expect(LabelSelector.everything.matches(["x": "y"]))
        #expect(LabelSelector.everything.isEmpty)
        #expect(LabelSelector.everything.description == "")
    }

    // MARK: TestSelectorMatches

    static let matchCases: [(String, [String: String], Bool)] = [
        ("", ["x": "y"], true),
        ("x=y", ["x": "y"], true),
        ("x=y,z=w", ["x": "y", "z": "w"], true),
        ("x!=y,z!=w", ["x": "z", "z": "a"], true),
        ("notin=in", ["notin": "in"], true),  // in and notin in exactMatch
        ("x", ["x": "z"], true),
        ("!x", ["y": "z"], true),
        ("x>1", ["x": "2"], true),
        ("x<1", ["x": "0"], true),
        ("x=z", [:], false),
        ("x=y", ["x": "z"], false),
        ("x=y,z=w", ["x": "w", "z": "w"], false),
        ("x!=y,z!=w", ["x": "z", "z": "w"], false),
        ("x", ["y": "z"], false),
        ("!x", ["x": "z"], false),
        ("x>1", ["x": "0"], false),
        ("x<1", ["x": "2"], false),
        ("foo=bar", ["foo": "bar", "baz": "blah"], true),
        ("baz=blah", ["foo": "bar", "baz": "blah"], true),
        ("foo=bar,baz=blah", ["foo": "bar", "baz": "blah"], true),
        ("foo=blah", ["foo": "bar", "baz": "blah"], false),
        ("baz=bar", ["foo": "bar", "baz": "blah"], false),
        ("foo=bar,foobar=bar,baz=blah", ["foo": "bar", "baz": "blah"], false),
    ]

    @Test(arguments: matchCases)
    func selectorMatches(text: String, labels: [String: String], expected: Bool) throws {
        #expect(try LabelSelector(parsing: text).matches(labels) == expected)
    }

    // MARK: TestLexer

    @Test(arguments: [
        ("", SelectorToken.endOfString), (",", .comma), ("notin", .notIn), ("in", .in), ("=", .equals),
        ("==", .doubleEquals), (">", .greaterThan), ("<", .lessThan),
        // Lex returns the longest valid token found.
        ("!", .doesNotExist), ("!=", .notEquals), ("(", .openPar), (")", .closedPar),
        // Non-"special" characters are part of an identifier.
        ("~", .identifier), ("||", .identifier),
    ])
    func lexer(text: String, token: SelectorToken) {
        var lexer = SelectorLexer(text)
        let item = lexer.lex()
        #expect(item.token == token)
        #expect(item.literal == text)
    }

    // MARK: TestLexerSequence

    static let sequences: [(String, [SelectorToken])] = [
        ("key in ( value )", [.identifier, .in, .openPar, .identifier, .closedPar]),
        ("key notin ( value )", [.identifier, .notIn, .openPar, .identifier, .closedPar]),
        ("key in ( value1, value2 )", [.identifier, .in, .openPar, .identifier, .comma, .identifier, .closedPar]),
        ("key", [.identifier]),
        ("!key", [.doesNotExist, .identifier]),
        ("()", [.openPar, .closedPar]),
        ("x in (),y", [.identifier, .in, .openPar, .closedPar, .comma, .identifier]),
        ("== != (), = notin", [.doubleEquals, .notEquals, .openPar, .closedPar, .comma, .equals, .notIn]),
        ("key>2", [.identifier, .greaterThan, .identifier]),
        ("key<1", [.identifier, .lessThan, .identifier]),
    ]

    @Test(arguments: sequences)
    func lexerSequence(text: String, tokens: [SelectorToken]) {
        var lexer = SelectorLexer(text)
        var seen: [SelectorToken] = []
        while true {
            let item = lexer.lex()
            if item.token == .endOfString { break }
            seen.append(item.token)
        }
        #expect(seen == tokens)
    }

    // MARK: TestParserLookahead

    @Test(arguments: sequences + [("", [])])
    func parserLookahead(text: String, tokens: [SelectorToken]) {
        var parser = SelectorParser(text)
        parser.scan()
        #expect(parser.scannedItems.map(\.token) == tokens + [.endOfString])
        while true {
            let ahead = parser.lookahead(.keyAndOperator)
            let consumed = parser.consume(.keyAndOperator)
            if ahead.token == .endOfString { break }
            #expect(ahead == consumed)
        }
    }

    // MARK: TestParseOperator

    @Test(arguments: [
        ("in", LabelRequirement.Operator.in), ("=", .equals), ("==", .doubleEquals), (">", .greaterThan),
        ("<", .lessThan), ("notin", .notIn), ("!=", .notEquals),
    ])
    func parseOperator(text: String, op: LabelRequirement.Operator) throws {
        var parser = SelectorParser(text)
        parser.scan()
        #expect(try parser.parseOperator() == op)
    }

    @Test(arguments: [("!", "!"), ("exists", "exists"), ("(", "(")])
    func parseOperatorErrors(text: String, found: String) {
        var parser = SelectorParser(text)
        parser.scan()
        #expect(
            throws: SelectorError(
                input: text, offset: 0, reason: "found '\(found)', expected: in, notin, =, ==, !=, gt, lt")
        ) {
            try parser.parseOperator()
        }
    }

    // MARK: TestRequirementConstructor (the unsupported-operator row cannot be written in Swift)

    static let constructorCases: [(String, LabelRequirement.Operator, [String], Bool)] = [
        ("x1", .in, [], false),
        ("x2", .notIn, [], false),
        ("x3", .in, ["foo"], true),
        ("x4", .notIn, ["foo"], true),
        ("x5", .equals, ["bar", "foo"], false),
        ("x6", .exists, [], true),
        ("x7", .doesNotExist, [], true),
        ("x8", .exists, ["foo"], false),
        ("x9", .in, ["bar"], true),
        ("x10", .in, ["bar"], true),
        ("x11", .greaterThan, ["1"], true),
        ("x12", .lessThan, ["6"], true),
        ("x13", .greaterThan, [], false),
        ("x14", .greaterThan, ["bar"], false),
        ("x15", .lessThan, ["bar"], false),
        (String(repeating: "a", count: 254), .exists, [], false),  // name part longer than 63
        ("x16", .equals, [String(repeating: "a", count: 254)], false),
        ("x17", .equals, ["a b"], false),
    ]

    @Test(arguments: constructorCases)
    func requirementConstructor(key: String, op: LabelRequirement.Operator, values: [String], valid: Bool) {
        let result = Result { () throws(SelectorError) in try LabelRequirement(key: key, operator: op, values: values) }
        if valid {
            #expect(throws: Never.self) { try result.get() }
        } else {
            #expect(throws: SelectorError.self) { try result.get() }
        }
    }

    // MARK: TestToString (the row with an invalid zero Requirement cannot be built here)

    @Test func toString() {
        let cases: [([LabelRequirement], String)] = [
            (
                [requirement("x", .in, ["abc", "def"]), requirement("y", .notIn, ["jkl"]), requirement("z", .exists)],
                "x in (abc,def),y notin (jkl),z"
            ),
            (
                [
                    requirement("x", .notIn, ["abc", "def"]), requirement("y", .notEquals, ["jkl"]),
                    requirement("z", .doesNotExist),
                ],
                "x notin (abc,def),y!=jkl,!z"
            ),
            (
                [
                    requirement("x", .notIn, ["abc"]), requirement("y", .in, ["jkl", "mno"]),
                    requirement("z", .notIn, [""]),
                ],
                "x notin (abc),y in (jkl,mno),z notin ()"
            ),
            (
                [
                    requirement("x", .equals, ["abc"]), requirement("y", .doubleEquals, ["jkl"]),
                    requirement("z", .notEquals, ["a"]), requirement("z", .exists),
                ],
                "x=abc,y==jkl,z!=a,z"
            ),
            (
                [requirement("x", .greaterThan, ["2"]), requirement("y", .lessThan, ["8"]), requirement("z", .exists)],
                "x>2,y<8,z"
            ),
        ]
        for (requirements, text) in cases {
            #expect(LabelSelector(requirements: requirements).description == text)
        }
    }

    // MARK: TestRequirementSelectorMatching (the row with an invalid zero Requirement cannot be built here)

    @Test func requirementSelectorMatching() {
        let cases: [([String: String], [LabelRequirement], Bool)] = [
            (["x": "foo", "y": "baz"], [requirement("x", .in, ["foo"]), requirement("y", .notIn, ["alpha"])], true),
            (["x": "foo", "y": "baz"], [requirement("x", .in, ["foo"]), requirement("y", .in, ["alpha"])], false),
            (["y": ""], [requirement("x", .notIn, [""]), requirement("y", .exists)], true),
            (["y": ""], [requirement("x", .doesNotExist), requirement("y", .exists)], true),
            (["y": ""], [requirement("x", .notIn, [""]), requirement("y", .doesNotExist)], false),
            (["y": "baz"], [requirement("x", .in, [""])], false),
            (["z": "2"], [requirement("z", .greaterThan, ["1"])], true),
            (["z": "v2"], [requirement("z", .greaterThan, ["1"])], false),
        ]
        for (labels, requirements, expected) in cases {
            #expect(
                LabelSelector(requirements: requirements).matches(labels) == expected, "\(requirements) on \(labels)")
        }
    }

    // MARK: TestSetSelectorParser
    // (input, expected requirements or nil for "don't compare", valid). Upstream compares with
    // reflect.DeepEqual only when its Match column is true; rows with Match false carry nil.

    static let setParserCases: [(String, [LabelRequirement]?, Bool)] = {
        func r(_ key: String, _ op: LabelRequirement.Operator, _ values: [String] = []) -> LabelRequirement {
            try! LabelRequirement(key: key, operator: op, values: LabelRequirement.sortedValues(Set(values)))
        }
        return [
            ("", [], true),
            ("\rx", [r("x", .exists)], true),
            ("this-is-a-dns.domain.com/key-with-dash", [r("this-is-a-dns.domain.com/key-with-dash", .exists)], true),
            (
                "this-is-another-dns.domain.com/key-with-dash in (so,what)",
                [r("this-is-another-dns.domain.com/key-with-dash", .in, ["so", "what"])], true
            ),
            (
                "0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)",
                [r("0.1.2.domain/99", .notIn, ["10.10.100.1", "tick.tack.clock"])], true
            ),
            ("foo  in\t (abc)", [r("foo", .in, ["abc"])], true),
            ("x notin\n (abc)", [r("x", .notIn, ["abc"])], true),
            ("x  notin\t\t\t(abc,def)", [r("x", .notIn, ["abc", "def"])], true),
            ("x in (abc,def)", [r("x", .in, ["abc", "def"])], true),
            ("x in (abc,)", [r("x", .in, ["abc", ""])], true),
            ("x in (abc,abc)", [r("x", .in, ["abc"])], true),
            ("x in ()", [r("x", .in, [""])], true),
            ("x in (a,,)", [r("x", .in, ["a", ""])], true),
            ("x in (a,,,)", [r("x", .in, ["a", ""])], true),
            ("x in (a,,,,,,)", [r("x", .in, ["a", ""])], true),
            ("x in (a,,a,,a,,a,,)", [r("x", .in, ["a", ""])], true),
            (
                "x notin (abc,,def),bar,z in (),w",
                [r("bar", .exists), r("w", .exists), r("x", .notIn, ["abc", "", "def"]), r("z", .in, [""])], true
            ),
            ("x,y in (a)", nil, true),
            ("x=a", [r("x", .equals, ["a"])], true),
            ("x>1", [r("x", .greaterThan, ["1"])], true),
            ("x<7", [r("x", .lessThan, ["7"])], true),
            ("x=a,y!=b", [r("x", .equals, ["a"]), r("y", .notEquals, ["b"])], true),
            (
                "x=a,y!=b,z in (h,i,j)",
                [r("x", .equals, ["a"]), r("y", .notEquals, ["b"]), r("z", .in, ["h", "i", "j"])], true
            ),
            ("x=a||y=b", nil, false),
            ("x,,y", nil, false),
            (",x,y", nil, false),
            ("x nott in (y)", nil, false),
            ("x notin ( )", [r("x", .notIn, [""])], true),
            ("x notin (, a)", [r("x", .notIn, ["", "a"])], true),
            ("a in (xyz),", nil, false),
            ("a in (xyz)b notin ()", nil, false),
            ("a ", [r("a", .exists)], true),
            ("a in (x,y,notin, z,in)", [r("a", .in, ["in", "notin", "x", "y", "z"])], true),  // 'in' inside a list
            ("a in (xyz abc)", nil, false),  // no comma
            ("a notin(", nil, false),  // badly formed
            ("a (", nil, false),  // cpar
            ("(", nil, false),  // opar
        ]
    }()

    @Test(arguments: setParserCases)
    func setSelectorParser(text: String, expected: [LabelRequirement]?, valid: Bool) {
        let result = Result { () throws(SelectorError) in try LabelSelector(parsing: text) }
        guard valid else {
            #expect(throws: SelectorError.self) { try result.get() }
            return
        }
        #expect(throws: Never.self) { try result.get() }
        if let expected, case .success(let selector) = result {
            #expect(selector.requirements == expected)
        }
    }

    // MARK: podmeta's own cases

    @Test func contractExample() throws {
        let selector = try LabelSelector(parsing: "tier in (web,api),!canary,env!=dev")
        #expect(selector.description == "!canary,env!=dev,tier in (api,web)")
        #expect(selector.matches(["tier": "web", "env": "prod"]))
        #expect(selector.matches(["tier": "api"]))
        #expect(!selector.matches(["tier": "web", "canary": "true"]))
        #expect(!selector.matches(["tier": "web", "env": "dev"]))
        #expect(!selector.matches(["tier": "db"]))
        #expect(!selector.matches([:]))
    }

    @Test(arguments: [
        "x=a", "x==a", "x!=a", "!x", "x", "x in (a,b)", "x notin (,a)", "x>5", "x<0", "a.b/c-d_e.f=v",
        "x=a,y in (b),!z", "example.com/tier in (api,web),version>3",
    ])
    func descriptionReparsesToTheSameSelector(text: String) throws {
        let selector = try LabelSelector(parsing: text)
        #expect(try LabelSelector(parsing: selector.description) == selector)
    }

    @Test func valuesCompareByBytesAsInGo() throws {
        // U+212A KELVIN SIGN is canonically equivalent to "K"; Go compares bytes.
        #expect(try !LabelSelector(parsing: "x=K").matches(["x": "\u{212A}"]))
        #expect(try LabelSelector(parsing: "x!=K").matches(["x": "\u{212A}"]))
        #expect(try LabelSelector(parsing: "x in (K)").matches(["x": "K"]))
    }

    @Test(arguments: [
        ("x>1", "10", true), ("x>1", "+2", true), ("x>1", "1", false), ("x>1", " 2", false), ("x>1", "2.0", false),
        ("x<0", "-5", true), ("x<10", "9223372036854775808", false), ("x>0", "9223372036854775807", true),
        ("x>1", "", false), ("x>1", "0x10", false),
    ])
    func numericComparisonsParseLikeGo(text: String, value: String, expected: Bool) throws {
        #expect(try LabelSelector(parsing: text).matches(["x": value]) == expected)
        #expect(try !LabelSelector(parsing: text).matches([:]), "absent keys never satisfy gt/lt")
    }

    @Test(arguments: [
        ("x==a==b", 4, "found '==', expected: ',' or 'end of string'"),
        ("!x=a", 2, "found '=', expected: ',' or 'end of string'"),
        (",x", 0, "found ',', expected: !, identifier, or 'end of string'"),
        ("x,", 2, "found '', expected: identifier after ','"),
        ("x in y", 5, "found 'y' expected: '('"),
        ("x in (a b)", 8, "found 'b', expected: ',' or ')'"),
        ("a (", 2, "found '(', expected: in, notin, =, ==, !=, gt, lt"),
    ])
    func errorsCarryUpstreamReasonsAndOffsets(text: String, offset: Int, reason: String) {
        #expect(throws: SelectorError(input: text, offset: offset, reason: reason)) { try LabelSelector(parsing: text) }
    }

    @Test func errorDescriptionIsOneSentenceWithContext() {
        let error = SelectorError(input: "x==a==b", offset: 4, reason: "found '==', expected: ',' or 'end of string'")
        #expect(
            error.description
                == #"invalid label selector "x==a==b" at byte 4: found '==', expected: ',' or 'end of string'"#)
    }

    @Test(arguments: [
        ("-x", false), ("x-", false), ("a/b/c", false), ("/x", false), ("x/", false), ("UPPER.com/x", false),
        ("a..b/x", false), (String(repeating: "a", count: 63), true), (String(repeating: "a", count: 64), false),
        (String(repeating: "a", count: 253) + "/x", true), (String(repeating: "a", count: 254) + "/x", false),
        ("x_y.z-W", true), ("example.com/X_y", true),
    ])
    func keysAreValidatedAsUpstream(key: String, valid: Bool) {
        #expect(LabelSyntax.keyProblems(key).isEmpty == valid)
        let parsed = Result { () throws(SelectorError) in try LabelSelector(parsing: key) }
        if valid {
            #expect(throws: Never.self) { try parsed.get() }
        } else {
            #expect(throws: SelectorError.self) { try parsed.get() }
        }
    }

    @Test(arguments: [
        ("", true), ("a", true), ("A-b_c.D", true), ("-a", false), ("a-", false), ("a b", false), ("é", false),
        (String(repeating: "v", count: 63), true), (String(repeating: "v", count: 64), false),
    ])
    func valuesAreValidatedAsUpstream(value: String, valid: Bool) {
        #expect(LabelSyntax.valueProblems(value).isEmpty == valid)
    }

    /// Go's lexer reads 0 at the end of input, so a NUL byte ends the input where a token
    /// would start, and ends (and is swallowed by) a token it follows. Ported as is.
    @Test(arguments: [
        ("a,\u{0}b", "a,b"), ("a\u{0}", "a"), ("\u{0}a", ""), ("a,b\u{0},c", "a,b,c"), ("x=\u{0}", "x="),
    ])
    func nulBytesBehaveAsInGo(text: String, canonical: String) throws {
        #expect(try LabelSelector(parsing: text).description == canonical)
    }

    @Test func nulInsideAnIdentifierSplitsIt() {
        #expect(
            throws: SelectorError(
                input: "a\u{0}b", offset: 2, reason: "found 'b', expected: in, notin, =, ==, !=, gt, lt")
        ) {
            try LabelSelector(parsing: "a\u{0}b")
        }
    }
}
