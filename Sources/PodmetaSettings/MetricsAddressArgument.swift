import PodmetaServer

/// `--metrics-address HOST:PORT`, from a flag or the config file's `metricsAddress`.
package struct MetricsAddressArgument: Sendable, Equatable {
    package var address: MetricsAddress

    @Sendable package static func parse(_ text: String) throws(CLIError) -> MetricsAddressArgument {
        do {
            return MetricsAddressArgument(address: try MetricsAddress(parsing: text))
        } catch {
            throw CLIError.usage(error.description)
        }
    }
}
