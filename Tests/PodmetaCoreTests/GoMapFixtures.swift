#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The Go-made corpus under Fixtures/gomap (see its README.md), found next to this file so
/// no Package.swift resource declaration is needed.
enum GoMapFixtures {
    static let directory: String = {
        let file = #filePath
        let parent = file[..<(file.lastIndex(of: "/") ?? file.startIndex)]
        return parent + "/Fixtures/gomap"
    }()

    /// The bytes of a corpus file; an unreadable file reads as nil so a test can fail on it.
    static func bytes(_ name: String) -> [UInt8]? {
        FileManager.default.contents(atPath: directory + "/" + name).map { Array($0) }
    }

    /// The text lines of a corpus file, without comment lines.
    static func lines(_ name: String) -> [String] {
        guard let bytes = bytes(name) else { return [] }
        return String(decoding: bytes, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: true)
            .map(String.init)
            .filter { !$0.hasPrefix("#") }
    }

    /// The map names listed in MANIFEST.
    static let mapNames: [String] = lines("MANIFEST")

    /// One entry of a NAME.expected file: raw key and value bytes.
    struct Entry: Sendable {
        var key: [UInt8]
        var value: [UInt8]
    }

    /// The entries of NAME.expected (in Go's sorted order), and the count its header states.
    static func expected(_ name: String) -> (entries: [Entry], declaredCount: Int?) {
        guard let bytes = bytes(name + ".expected") else { return ([], nil) }
        let text = String(decoding: bytes, as: UTF8.self)
        var declared: Int?
        var entries: [Entry] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# ") {
                declared = Int(line.dropFirst(2).prefix { $0.isNumber })
                continue
            }
            let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let key = hex(parts[0]), let value = hex(parts[1]) else {
                return ([], nil)
            }
            entries.append(Entry(key: key, value: value))
        }
        return (entries, declared)
    }

    /// Decodes lowercase or uppercase hex; nil when malformed.
    static func hex(_ text: Substring) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// The kubelet's FormatMap, for re-rendering expected entries: sorted by bytes, one
    /// key=quote(value) line each, joined by "\n".
    static func formatMap(_ entries: [Entry], quote: ([UInt8]) -> String) -> [UInt8] {
        let sorted = entries.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        var out: [UInt8] = []
        for entry in sorted {
            if !out.isEmpty { out.append(UInt8(ascii: "\n")) }
            out.append(contentsOf: entry.key)
            out.append(UInt8(ascii: "="))
            out.append(contentsOf: quote(entry.value).utf8)
        }
        return out
    }
}
