import ArgumentParser
import PodmetaSettings

/// A flag value whose parser says why it refuses a value. Options declare
/// `transform: T.parse`, so argument-parser prints that reason after "The value ... is
/// invalid"; `init?(argument:)` serves argument-parser's other uses of the type. (`package`,
/// because the witnesses of PodmetaSettings' `package` types must be as visible as they.)
package protocol ExplainedArgument: ExpressibleByArgument, Sendable {
    associatedtype ParseFailure: Error
    static func parse(_ text: String) throws(ParseFailure) -> Self
}

extension ExplainedArgument {
    package init?(argument: String) {
        guard let parsed = try? Self.parse(argument) else { return nil }
        self = parsed
    }
}

// The values PodmetaSettings parses for flags and config-file settings alike.

extension DurationArgument: ExplainedArgument {
    package var defaultValueDescription: String { description }
}

extension NamingArgument: ExplainedArgument {
    package var defaultValueDescription: String { description }
}

extension FileModeArgument: ExplainedArgument {}
extension MetricsAddressArgument: ExplainedArgument {}
extension QuiescenceArgument: ExplainedArgument {}
extension HookArgument: ExplainedArgument {}
extension ChangeFilterArgument: ExplainedArgument {}
