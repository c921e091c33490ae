import ArgumentParser
import PodmetaCore

/// `podmeta snapshot`: read every source once and print the document.
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Read the volume and the environment once and print the snapshot document.",
        discussion: """
            The document is the same the agent writes to its --output file (revision 1).

            Examples:
              podmeta snapshot --volume /etc/podinfo
              podmeta snapshot --volume ./examples/volume --item labels=metadata.labels \\
                  --item cpu=limits.cpu@1m
              podmeta snapshot --no-volume --format json | jq .pod
            """
    )

    @OptionGroup var sources: SourceOptions

    @Option(name: .long, help: "Output format: json, yaml, properties, sh or env-file.")
    var format: SnapshotFormat = .json

    @Option(
        name: .long, help: ArgumentHelp("Prefix of the variable names (sh and env-file formats).", valueName: "prefix"))
    var varPrefix = "POD_"

    func validate() throws {
        if (try? EnvironmentNaming(prefix: varPrefix)) == nil {
            throw ValidationError("--var-prefix \"\(varPrefix)\" cannot start a variable name.")
        }
    }

    func run() throws {
        let load = try sources.load()
        do {
            StandardOutput.write(
                try format.render(load.snapshot, revision: 1, naming: try EnvironmentNaming(prefix: varPrefix)))
        } catch let error as EnvironmentRenderError {
            throw CLIError.badData(error.description)
        }
    }
}
