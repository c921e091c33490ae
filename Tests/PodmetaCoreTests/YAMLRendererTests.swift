import Testing

@testable import PodmetaCore

/// The expected texts below were checked once by hand with PyYAML 6.0.3 (SafeLoader and the
/// libyaml CSafeLoader): each loads to exactly the JSON document it renders, as did 3,000
/// random documents (awkward keys and strings, nested lists, extreme numbers). CI compares
/// against the committed text only.
@Suite struct YAMLRendererTests {
    @Test func contractDocument() {
        let text = String(
            decoding: YAMLRenderer().render(RenderFixtures.contractSnapshot(), revision: 7), as: UTF8.self)
        #expect(
            text == #"""
                annotations:
                  "example.com/note": "multi\nline"
                apiVersion: "podmeta/v1"
                env:
                  POD_NAME: "web-0"
                labels:
                  app: "web"
                  "app.kubernetes.io/name": "shop"
                pod:
                  hostIP: "192.168.1.5"
                  hostIPs:
                    - "192.168.1.5"
                  ip: "10.1.2.3"
                  ips:
                    - "10.1.2.3"
                    - "fd00::3"
                  name: "web-0"
                  namespace: "shop"
                  nodeName: "n1"
                  serviceAccountName: "web"
                  uid: "0e2f4a10-5b6c-4d7e-8f90-a1b2c3d4e5f6"
                resources:
                  limits:
                    cpu:
                      cores: 0.5
                      divisor: "1m"
                      millicores: 500
                      quantity: "500m"
                      raw: "500"
                      source: "volume:cpu_limit"
                    memory:
                      bytes: 134217728
                      divisor: "1Mi"
                      mebibytes: 128
                      quantity: "128Mi"
                      raw: "128"
                      source: "volume:mem_limit"
                  requests: {}
                revision: 7

                """#)
    }

    /// Strings every YAML 1.1 or 1.2 schema would otherwise resolve to something else, and
    /// characters YAML forbids raw or treats as line breaks.
    @Test func awkwardDocument() {
        let document = JSONValue.object([
            "labels": .object([
                "yes": .string("no"), "on": .string("~"), "null": .string("null"), "y": .string("1.0"),
                "date": .string("2026-01-01"), "octal": .string("0o17"), "-": .string("- a"), "": .string(""),
                "colon: key": .string("a: b #c"), "spaces": .string("  lead and trail  "),
                "quotes": .string(#"'single' "double" \back"#),
                "controls": .string("\u{0}\u{7}\t\n\r\u{1B}\u{7F}\u{85}\u{9F}"),
                "separators": .string("\u{2028}\u{2029}\u{FEFF}\u{FFFE}\u{FFFF}"),
                "unicode": .string("é 日本 😀 \u{A0}"),
                "under_score-dash": .string("*alias &anchor !tag %dir @at `tick` |pipe >fold"),
            ]),
            "numbers": .array([
                .int(-9_223_372_036_854_775_808), .double(1e-5), .double(1.5e300), .double(1e16), .double(-0.0),
                .double(.nan),
            ]),
            "nested": .array([.array([.int(1), .array([])]), .object(["b": .bool(false), "a": .null]), .object([:])]),
        ])
        #expect(
            YAMLRenderer().string(document: document) == #"""
                labels:
                  "": ""
                  "-": "- a"
                  "colon: key": "a: b #c"
                  controls: "\u0000\u0007\t\n\r\u001b\u007f\u0085\u009f"
                  date: "2026-01-01"
                  "null": "null"
                  octal: "0o17"
                  "on": "~"
                  quotes: "'single' \"double\" \\back"
                  separators: "\u2028\u2029\ufeff\ufffe\uffff"
                  spaces: "  lead and trail  "
                  under_score-dash: "*alias &anchor !tag %dir @at `tick` |pipe >fold"
                  unicode: "é 日本 😀 \#u{A0}"
                  "y": "1.0"
                  "yes": "no"
                nested:
                  - - 1
                    - []
                  - a: null
                    b: false
                  - {}
                numbers:
                  - -9223372036854775808
                  - 1.0e-05
                  - 1.5e+300
                  - 1.0e+16
                  - 0
                  - null

                """#)
    }

    @Test(arguments: [
        (0.5, "0.5"), (128, "128"), (1e-5, "1.0e-05"), (2.5e-7, "2.5e-07"), (1e20, "1.0e+20"),
        (1.5e300, "1.5e+300"), (1e15, "1000000000000000.0"), (999_999_999_999_999, "999999999999999"),
        (.infinity, "null"),
    ])
    func numbersAreFloatsInYAML11AndEqualToJSON(value: Double, expected: String) {
        #expect(YAMLRenderer.number(value) == expected)
        if expected != "null" { #expect(Double(expected) == value) }
    }

    @Test(arguments: [
        ("apiVersion", true), ("POD_NAME", true), ("_x", true), ("a-b", true), ("app", true),
        ("yes", false), ("No", false), ("ON", false), ("y", false), ("null", false), ("1a", false), ("", false),
        ("a.b", false), ("a/b", false), ("a b", false), ("-a", false), ("é", false),
    ])
    func plainKeys(key: String, plain: Bool) {
        #expect(YAMLRenderer.isPlainKey(key) == plain)
    }

    @Test func scalarsAndEmptyContainersAtTheTop() {
        #expect(YAMLRenderer().string(document: .object([:])) == "{}\n")
        #expect(YAMLRenderer().string(document: .array([])) == "[]\n")
        #expect(YAMLRenderer().string(document: .string("x")) == "\"x\"\n")
        #expect(YAMLRenderer().string(document: .array([.int(1), .object(["k": .int(2)])])) == "- 1\n- k: 2\n")
    }
}
