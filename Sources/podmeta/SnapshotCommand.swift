import ArgumentParser
import PodmetaCore
import PodmetaSettings
import PodmetaSystem

/// `podmeta snapshot`: read every source once and print the document.
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Read the volume and the environment once and print the snapshot document.",
        discussion: """
            The document is the same the agent writes to its --output file (revision 1).

            Examples:
              podmeta snapshot --volume /etc/podinfo
              podmeta snapshot --volume examples/podinfo --format yaml   # in a clone
              podmeta snapshot --volume /etc/podinfo --item labels=metadata.labels \\
                  --item cpu=limits.cpu@1m
              podmeta snapshot --no-volume --format json | jq .pod
            """
    )

    @OptionGroup var sources: SourceOptions

    @Option(name: .long, help: "Output format.")
    var format: SnapshotFormat = .json

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Prefix of the variable names in the sh and env-file formats (default POD_).", valueName: "prefix"),
        transform: NamingArgument.parse)
    var varPrefix = NamingArgument.standard

    func run() throws {
        let load = try sources.load()
        StandardOutput.write(try format.render(load.snapshot, revision: 1, naming: varPrefix.naming))
    }
}
