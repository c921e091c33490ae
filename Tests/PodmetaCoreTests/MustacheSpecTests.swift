import Testing

@testable import PodmetaCore

/// Conformance to the official Mustache specification: every case of the core modules and
/// of the optional dynamic-names module, none skipped. (~lambdas cannot apply to JSON data;
/// ~inheritance is not implemented; neither file is vendored.)
@Suite struct MustacheSpecTests {
    @Test func everyFileLoadsCompletely() {
        for (file, count) in MustacheSpecFixture.files {
            #expect(MustacheSpecFixture.cases(in: file).count == count, "\(file).json")
        }
        #expect(MustacheSpecFixture.allCases.count == 157)
    }

    @Test(arguments: MustacheSpecFixture.allCases)
    func specCase(_ specCase: MustacheSpecFixture.Case) throws {
        let template = try MustacheTemplate(parsing: specCase.template, name: "template")
        var partials: [String: MustacheTemplate] = [:]
        for (name, text) in specCase.partials {
            partials[name] = try MustacheTemplate(parsing: text, name: name)
        }
        let output = try template.render(specCase.data, partials: partials)
        #expect(output == specCase.expected, "template \(specCase.template.debugDescription)")
    }
}
