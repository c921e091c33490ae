import ArgumentParser
import PodmetaCore
import PodmetaSettings

/// `quantity --resource`: a resource the downward API exposes (cpu, memory,
/// ephemeral-storage, hugepages-<size>); anything else would be converted with the wrong
/// units without a word.
struct ResourceArgument: ExplainedArgument {
    var resource: DownwardAPIResource

    private init(resource: DownwardAPIResource) {
        self.resource = resource
    }

    @Sendable static func parse(_ text: String) throws(CLIError) -> ResourceArgument {
        let resource = DownwardAPIResource(name: text)
        guard resource.isSupported else {
            throw CLIError.usage(
                "the downward API exposes cpu, memory, ephemeral-storage and hugepages-<size> such as hugepages-2Mi")
        }
        return ResourceArgument(resource: resource)
    }

    static var allValueStrings: [String] { ["cpu", "memory", "ephemeral-storage", "hugepages-<size>"] }
}
