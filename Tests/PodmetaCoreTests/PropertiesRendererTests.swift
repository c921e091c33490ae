import Testing

@testable import PodmetaCore

/// A port of `java.util.Properties.load` (LineReader and loadConvert) over UTF-16 code units:
/// logical lines with continuations, comments, key/separator/value splitting and escapes.
enum JavaPropertiesReader {
    static func read(_ text: String) -> [String: String] {
        let units = Array(text.utf16)
        var result: [String: String] = [:]
        for line in logicalLines(units) {
            var keyEnd = 0
            var valueStart = line.count
            var hasSeparator = false
            var precedingBackslash = false
            while keyEnd < line.count {
                let c = line[keyEnd]
                if (c == eq || c == colon) && !precedingBackslash {
                    valueStart = keyEnd + 1
                    hasSeparator = true
                    break
                } else if isWhitespace(c) && !precedingBackslash {
                    valueStart = keyEnd + 1
                    break
                }
                precedingBackslash = c == backslash ? !precedingBackslash : false
                keyEnd += 1
            }
            while valueStart < line.count {
                let c = line[valueStart]
                if !isWhitespace(c) {
                    if !hasSeparator && (c == eq || c == colon) { hasSeparator = true } else { break }
                }
                valueStart += 1
            }
            let key = convert(Array(line[..<keyEnd]))
            let value = convert(Array(line[min(valueStart, line.count)...]))
            result[key] = value
        }
        return result
    }

    static let eq = UInt16(UInt8(ascii: "="))
    static let colon = UInt16(UInt8(ascii: ":"))
    static let backslash = UInt16(UInt8(ascii: "\\"))

    static func isWhitespace(_ c: UInt16) -> Bool { c == 0x20 || c == 0x09 || c == 0x0C }

    /// Natural lines joined at an odd number of trailing backslashes; comment and blank lines
    /// dropped; leading whitespace skipped on every natural line.
    static func logicalLines(_ units: [UInt16]) -> [[UInt16]] {
        var naturals: [[UInt16]] = [[]]
        var i = 0
        while i < units.count {
            let c = units[i]
            if c == 0x0A || c == 0x0D {
                if c == 0x0D, i + 1 < units.count, units[i + 1] == 0x0A { i += 1 }
                naturals.append([])
            } else {
                naturals[naturals.count - 1].append(c)
            }
            i += 1
        }
        var logical: [[UInt16]] = []
        var current: [UInt16]?
        for natural in naturals {
            let trimmed = Array(natural.drop(while: isWhitespace))
            if current == nil {
                if trimmed.isEmpty || trimmed[0] == UInt16(UInt8(ascii: "#")) || trimmed[0] == UInt16(UInt8(ascii: "!"))
                {
                    continue
                }
            }
            var line = (current ?? []) + trimmed
            let trailing = line.reversed().prefix(while: { $0 == backslash }).count
            if trailing % 2 == 1 {
                line.removeLast()
                current = line
            } else {
                logical.append(line)
                current = nil
            }
        }
        if let current { logical.append(current) }
        return logical
    }

    static func convert(_ units: [UInt16]) -> String {
        var out: [UInt16] = []
        var i = 0
        while i < units.count {
            var c = units[i]
            i += 1
            if c == backslash, i < units.count {
                c = units[i]
                i += 1
                switch c {
                case UInt16(UInt8(ascii: "u")):
                    let hex = String(decoding: units[i..<min(i + 4, units.count)], as: UTF16.self)
                    out.append(UInt16(hex, radix: 16)!)
                    i += 4
                case UInt16(UInt8(ascii: "t")): out.append(0x09)
                case UInt16(UInt8(ascii: "r")): out.append(0x0D)
                case UInt16(UInt8(ascii: "n")): out.append(0x0A)
                case UInt16(UInt8(ascii: "f")): out.append(0x0C)
                default: out.append(c)
                }
            } else {
                out.append(c)
            }
        }
        return String(decoding: out, as: UTF16.self)
    }
}

@Suite struct PropertiesRendererTests {
    @Test func contractDocument() {
        let text = String(
            decoding: PropertiesRenderer().render(RenderFixtures.contractSnapshot(), revision: 7), as: UTF8.self)
        #expect(
            text == #"""
                annotations.example.com/note=multi\nline
                apiVersion=podmeta/v1
                env.POD_NAME=web-0
                labels.app=web
                labels.app.kubernetes.io/name=shop
                pod.hostIP=192.168.1.5
                pod.hostIPs=192.168.1.5
                pod.ip=10.1.2.3
                pod.ips=10.1.2.3,fd00\:\:3
                pod.name=web-0
                pod.namespace=shop
                pod.nodeName=n1
                pod.serviceAccountName=web
                pod.uid=0e2f4a10-5b6c-4d7e-8f90-a1b2c3d4e5f6
                resources.limits.cpu.cores=0.5
                resources.limits.cpu.divisor=1m
                resources.limits.cpu.millicores=500
                resources.limits.cpu.quantity=500m
                resources.limits.cpu.raw=500
                resources.limits.cpu.source=volume\:cpu_limit
                resources.limits.memory.bytes=134217728
                resources.limits.memory.divisor=1Mi
                resources.limits.memory.mebibytes=128
                resources.limits.memory.quantity=128Mi
                resources.limits.memory.raw=128
                resources.limits.memory.source=volume\:mem_limit
                revision=7

                """#)
    }

    @Test(arguments: [
        ("plain", "plain", "plain"),
        ("a b", #"a\ b"#, "a b"),
        (" lead", #"\ lead"#, #"\ lead"#),
        ("  two", #"\ \ two"#, #"\  two"#),
        ("k=v:w", #"k\=v\:w"#, #"k\=v\:w"#),
        ("#!", ##"\#\!"##, ##"\#\!"##),
        (#"back\slash"#, #"back\\slash"#, #"back\\slash"#),
        ("t\tn\nr\rf\u{0C}", #"t\tn\nr\rf\f"#, #"t\tn\nr\rf\f"#),
        ("é", #"\u00E9"#, #"\u00E9"#),
        ("日本", #"\u65E5\u672C"#, #"\u65E5\u672C"#),
        ("😀", #"\uD83D\uDE00"#, #"\uD83D\uDE00"#),
        ("\u{1}\u{7F}", #"\u0001\u007F"#, #"\u0001\u007F"#),
        ("trail ", #"trail\ "#, "trail "),
    ])
    func escaping(text: String, asKey: String, asValue: String) {
        var key: [UInt8] = []
        PropertiesRenderer.escape(text, isKey: true, into: &key)
        var value: [UInt8] = []
        PropertiesRenderer.escape(text, isKey: false, into: &value)
        #expect(String(decoding: key, as: UTF8.self) == asKey)
        #expect(String(decoding: value, as: UTF8.self) == asValue)
    }

    @Test func listsOfObjectsAreIndexedAndEmptySectionsOmitted() {
        let document = JSONValue.object([
            "a": .array([.object(["x": .int(1)]), .string("s")]),
            "empty": .object([:]),
            "flags": .array([.bool(true), .null, .double(1.5)]),
        ])
        let text = String(decoding: PropertiesRenderer().render(document: document), as: UTF8.self)
        #expect(text == "a.0.x=1\na.1=s\nflags=true,,1.5\n")
    }

    @Test func outputIsASCIISoEveryReaderCharsetAgrees() {
        var snapshot = RenderFixtures.contractSnapshot()
        snapshot.labels["ключ"] = "значение 😀"
        let bytes = PropertiesRenderer().render(snapshot, revision: 1)
        #expect(bytes.allSatisfy { $0 < 0x80 })
    }

    /// Random keys and values (lone surrogates cannot occur: Swift strings are valid Unicode)
    /// read back by the Properties.load port exactly.
    @Test(arguments: [UInt64(11), 12, 13])
    func randomLabelsReadBackByJavaRules(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for _ in 0..<100 {
            var snapshot = PodSnapshot()
            for _ in 0..<Int.random(in: 0...10, using: &random) {
                snapshot.labels[random.string(maxLength: 12)] = random.string(maxLength: 40)
            }
            let text = String(decoding: PropertiesRenderer().render(snapshot, revision: 3), as: UTF8.self)
            let read = JavaPropertiesReader.read(text)
            var expected: [String: String] = ["apiVersion": "podmeta/v1", "revision": "3"]
            for (key, value) in snapshot.labels { expected["labels." + key] = value }
            #expect(read == expected, "seed \(seed)")
        }
    }
}
