import Testing

@testable import PodmetaCore

@Suite struct JSONRendererTests {
    @Test(arguments: [
        (JSONValue.null, "null"),
        (.bool(true), "true"),
        (.int(-42), "-42"),
        (.double(0.5), "0.5"),
        (.double(128), "128"),
        (.double(.infinity), "null"),
        (.string("a\"b\\c\n\t\u{01}\u{7F}é😀"), #""a\"b\\c\n\t\u0001\u007fé😀""#),
        (.array([]), "[]"),
        (.object([:]), "{}"),
        (.object(["b": .int(1), "a": .array([.int(1), .int(2)]), "B": .null]), #"{"B":null,"a":[1,2],"b":1}"#),
    ])
    func compact(value: JSONValue, expected: String) {
        #expect(JSONRenderer(style: .compact).string(value) == expected)
    }

    @Test func prettyIsIndentedAndEndsWithNewline() {
        let value = JSONValue.object(["k": .array([.int(1)]), "e": .object([:])])
        #expect(JSONRenderer(style: .pretty).string(value) == "{\n  \"e\": {},\n  \"k\": [\n    1\n  ]\n}\n")
    }

    @Test func keysSortByUTF8BytesNotLocale() {
        // "Z" (0x5A) < "a" (0x61) < "é" (0xC3 0xA9): byte order, stable everywhere.
        let value = JSONValue.object(["é": .int(3), "a": .int(2), "Z": .int(1)])
        #expect(JSONRenderer(style: .compact).string(value) == #"{"Z":1,"a":2,"é":3}"#)
    }

    @Test(arguments: [
        #"{"a":[1,2.5,"x",true,false,null],"b":{"c":"\u00e9\ud83d\ude00"}}"#,
        #"  [ ]  "#,
        #""\/\b\f\n\r\t""#,
        "-0.5e-3",
    ])
    func parseThenRenderRoundTrips(text: String) throws {
        let value = try JSONParser.parse(text)
        let again = try JSONParser.parse(JSONRenderer(style: .compact).render(value))
        #expect(value == again)
    }

    @Test(arguments: [
        ("", 0), ("{", 1), ("[1,]", 3), (#"{"a" 1}"#, 5), ("01", 1), ("\"\u{01}\"", 1),
        (#""\ud800""#, 7), ("nul", 3), ("[1] x", 4), (#""\x""#, 3),
        // Found by fuzzing: numbers past Double's range parsed as infinity and rendered as null.
        ("[1e309]", 1), ("-1e400", 0), ("[0,1e3082036854775808]", 3),
    ])
    func parseErrorsCarryOffsets(text: String, offset: Int) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
        do {
            _ = try JSONParser.parse(text)
        } catch {
            #expect(error.offset == offset, "\(error)")
        }
    }

    @Test func deepNestingIsRejectedNotCrashed() {
        let text = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }
}
