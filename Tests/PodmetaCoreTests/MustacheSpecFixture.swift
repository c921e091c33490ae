import PodmetaCore
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The official Mustache specification's test cases, Fixtures/mustache-spec/*.json (see its
/// README.md), found next to this file so no Package.swift resource declaration is needed.
enum MustacheSpecFixture {
    /// The spec files run, with the number of cases each holds at the pinned commit: a
    /// missing or truncated file fails ``MustacheSpecTests/everyFileLoadsCompletely``.
    static let files: [(name: String, caseCount: Int)] = [
        ("comments", 12), ("delimiters", 14), ("interpolation", 42), ("inverted", 22),
        ("partials", 12), ("sections", 34), ("~dynamic-names", 21),
    ]

    struct Case: Sendable, CustomTestStringConvertible {
        var file: String
        var name: String
        var data: JSONValue
        var template: String
        var partials: [String: String]
        var expected: String

        var testDescription: String { "\(file): \(name)" }
    }

    static let directory: String = {
        let file = #filePath
        return String(file[..<(file.lastIndex(of: "/") ?? file.startIndex)]) + "/Fixtures/mustache-spec"
    }()

    /// The cases of one spec file; empty when it cannot be read or parsed.
    static func cases(in file: String) -> [Case] {
        guard let data = FileManager.default.contents(atPath: directory + "/" + file + ".json"),
            let document = try? JSONParser.parse(Array(data)),
            let tests = document["tests"]?.arrayValue
        else { return [] }
        return tests.compactMap { test in
            guard let name = test["name"]?.stringValue,
                let template = test["template"]?.stringValue,
                let expected = test["expected"]?.stringValue,
                let data = test["data"]
            else { return nil }
            let partials = (test["partials"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
            return Case(file: file, name: name, data: data, template: template, partials: partials, expected: expected)
        }
    }

    static let allCases: [Case] = files.flatMap { cases(in: $0.name) }
}
