import ArgumentParser
import PodmetaServer

/// `--metrics-address HOST:PORT`, from a flag or the config file's `metricsAddress`.
struct MetricsAddressArgument: ExplainedArgument, Equatable {
    var address: MetricsAddress

    @Sendable static func parse(_ text: String) throws(CLIError) -> MetricsAddressArgument {
        do {
            return MetricsAddressArgument(address: try MetricsAddress(parsing: text))
        } catch {
            throw CLIError.usage(error.description)
        }
    }
}
