import ArgumentParser
import PodmetaServer

/// `--metrics-address HOST:PORT`, from a flag or the config file's `metricsAddress`.
extension MetricsAddress: ExplainedArgument {
    @Sendable static func parse(_ text: String) throws(CLIError) -> MetricsAddress {
        do {
            return try MetricsAddress(parsing: text)
        } catch {
            throw CLIError.usage(error.description)
        }
    }
}
