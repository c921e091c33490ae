import ArgumentParser
import PodmetaCore

/// `--var-prefix`: the prefix of every variable name, checked when parsed so that `run()`
/// holds an ``EnvironmentNaming`` and nothing to re-validate.
struct NamingArgument: ExplainedArgument, CustomStringConvertible {
    var naming: EnvironmentNaming

    static let standard = NamingArgument(naming: .standard)

    init(naming: EnvironmentNaming) {
        self.naming = naming
    }

    /// For `transform:`, so that a refused prefix is reported with its reason.
    @Sendable static func parse(_ text: String) throws(EnvironmentNamingError) -> NamingArgument {
        NamingArgument(naming: try EnvironmentNaming(prefix: text))
    }

    var description: String { naming.prefix }
    var defaultValueDescription: String { naming.prefix }
}
