import ArgumentParser
import PodmetaCore
import PodmetaServer
import PodmetaSettings
import PodmetaSystem

/// `podmeta env`: the snapshot as environment variables.
struct EnvCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env",
        abstract: "Print the pod's metadata as environment variables to source or pass on.",
        discussion: """
            Names: POD_NAME, POD_NAMESPACE, POD_UID, POD_NODE_NAME, POD_SERVICE_ACCOUNT, \
            POD_IP, POD_IPS, POD_HOST_IP, POD_HOST_IPS; POD_LABEL_<KEY> and \
            POD_ANNOTATION_<KEY> with KEY upper-cased and every run of other characters than \
            A-Z and 0-9 turned into one _ (app.kubernetes.io/name gives \
            POD_LABEL_APP_KUBERNETES_IO_NAME); POD_CPU_LIMIT_MILLICORES, POD_CPU_LIMIT_CORES, \
            POD_MEMORY_LIMIT_BYTES, POD_MEMORY_LIMIT_MIB and likewise for requests and other \
            resources. Two keys that give one name: the first in byte order wins and the \
            other is reported on stderr. A value with a NUL byte is left out, with a warning.
            --include-annotation, --exclude-annotation, --include-label and --exclude-label \
            (globs) choose the keys, with --file and --socket too.

            Formats: sh (export NAME='value', safe to source in any POSIX shell for every \
            byte), env-file (literal NAME=value for Docker --env-file and systemd; a multi-line \
            value is left out with a warning), json.

            Examples:
              eval "$(podmeta env --volume /etc/podinfo)"
              podmeta env --file /run/podmeta/pod.json --format env-file > app.env
              podmeta env --socket /run/podmeta/podmeta.sock --format json
            """
    )

    @OptionGroup var sources: SourceOptions

    @Option(
        name: .long,
        help: ArgumentHelp("Ask the agent on this socket instead of reading the sources.", valueName: "path"))
    var socket: String?

    @Option(name: .long, help: ArgumentHelp("Read the agent's JSON file instead of the sources.", valueName: "file"))
    var file: String?

    @Option(name: .long, help: "Output format.")
    var format: EnvFormatChoice = .sh

    @Option(
        name: .long, help: ArgumentHelp("Prefix of the variable names (default POD_).", valueName: "prefix"),
        transform: NamingArgument.parse)
    var varPrefix = NamingArgument.standard

    func validate() throws {
        if socket != nil && file != nil { throw ValidationError("--socket and --file exclude each other.") }
        if (socket != nil || file != nil) && (sources.volume != nil || !sources.items.isEmpty) {
            throw ValidationError("--socket and --file replace the sources: drop --volume and --item.")
        }
    }

    func run() throws {
        let snapshot: PodSnapshot
        if let file {
            snapshot = try sources.filter().apply(to: SnapshotDocumentFile.read(file).snapshot)
        } else if let socket {
            snapshot = try sources.filter().apply(to: SnapshotDocumentFile.fetch(socket: socket).snapshot)
        } else {
            snapshot = try sources.load().snapshot
        }
        let (bytes, issues) = try format.format.render(snapshot, naming: varPrefix.naming)
        for issue in issues { StandardError.warn(issue.description) }
        StandardOutput.write(bytes)
    }
}
