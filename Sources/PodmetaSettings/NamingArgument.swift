import PodmetaCore

/// `--var-prefix`: the prefix of every variable name, checked when parsed so that `run()`
/// holds an ``EnvironmentNaming`` and nothing to re-validate.
package struct NamingArgument: Sendable, CustomStringConvertible {
    package var naming: EnvironmentNaming

    package static let standard = NamingArgument(naming: .standard)

    package init(naming: EnvironmentNaming) {
        self.naming = naming
    }

    /// For `transform:`, so that a refused prefix is reported with its reason.
    @Sendable package static func parse(_ text: String) throws(EnvironmentNamingError) -> NamingArgument {
        NamingArgument(naming: try EnvironmentNaming(prefix: text))
    }

    package var description: String { naming.prefix }
}
