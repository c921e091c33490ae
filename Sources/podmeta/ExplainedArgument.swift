import ArgumentParser

/// A flag value whose parser says why it refuses a value. Options declare
/// `transform: T.parse`, so argument-parser prints that reason after "The value ... is
/// invalid"; `init?(argument:)` serves argument-parser's other uses of the type.
protocol ExplainedArgument: ExpressibleByArgument, Sendable {
    associatedtype ParseFailure: Error
    static func parse(_ text: String) throws(ParseFailure) -> Self
}

extension ExplainedArgument {
    init?(argument: String) {
        guard let parsed = try? Self.parse(argument) else { return nil }
        self = parsed
    }
}
