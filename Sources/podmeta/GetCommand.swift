import ArgumentParser
import Glibc
import PodmetaCore
import PodmetaServer
import PodmetaSettings
import PodmetaSystem

/// `podmeta get`: one section of the snapshot, or one value, from the agent's socket or
/// from its JSON file.
///
/// A one-shot command: it talks to the socket with a blocking client and never starts an
/// event loop.
struct GetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Print a section of the snapshot, or one value of it, from the agent's socket or file.",
        discussion: """
            SECTION is pod, labels, annotations, resources, env, or snapshot (the whole \
            document). Without KEY the section is printed as JSON; with KEY the value is \
            printed raw (strings as they are, lists one item a line, anything else as JSON), \
            or as {"key": ..., "value": ...} with --json.

            Exit status: 0 found, 3 the key is absent, 66 neither the socket nor the file \
            can be read (a socket whose --allow-uid leaves this user out included), 65 the \
            file is not a snapshot document, 2 a usage error.

            Examples:
              podmeta get labels app.kubernetes.io/name
              podmeta get --file /run/podmeta/pod.json annotations
              podmeta get --fallback-file /run/podmeta/pod.json pod name
              VERSION=$(podmeta get labels version) || exit
            """
    )

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The agent's socket (env PODMETA_SOCKET; default \(GetCommand.defaultSocket)).", valueName: "path"))
    var socket: String?

    @Option(name: .long, help: ArgumentHelp("Read this snapshot document instead of the socket.", valueName: "file"))
    var file: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "When the socket cannot answer, read this snapshot document instead (with a warning).",
            valueName: "file"))
    var fallbackFile: String?

    @Flag(name: .long, help: "Print a single key as {\"key\": ..., \"value\": ...}.")
    var json = false

    @Option(
        name: .long, help: ArgumentHelp("How long to wait for the agent's answer (default 5s).", valueName: "duration"),
        transform: DurationArgument.parse)
    var timeout = DurationArgument(GetCommand.defaultTimeout)

    @Argument(help: ArgumentHelp("The section to print (snapshot: the whole document).", valueName: "section"))
    var section: GetSection

    @Argument(
        help: ArgumentHelp("A key of the section: label or annotation key, pod field, variable name.", valueName: "key")
    )
    var key: String?

    static let defaultSocket = "/run/podmeta/podmeta.sock"
    static let defaultTimeout = Duration.seconds(5)

    func validate() throws {
        if socket != nil && file != nil { throw ValidationError("--socket and --file exclude each other.") }
        if file != nil && fallbackFile != nil {
            throw ValidationError("--fallback-file applies to the socket; use --file alone.")
        }
        if section == .snapshot && key != nil {
            throw ValidationError("the snapshot section takes no key: give a section such as labels, or no key.")
        }
        if timeout.duration == .zero { throw ValidationError("--timeout must be longer than 0, such as 2s.") }
    }

    /// What the options ask for, as the fast path (``GetFastPath``) builds it too.
    var request: GetRequest {
        GetRequest(
            socket: socket, file: file, fallbackFile: fallbackFile, json: json, timeout: timeout.duration,
            section: section, key: key)
    }

    func run() throws { try request.run() }

    /// The socket path: the flag, then PODMETA_SOCKET, then the default.
    static func socketPath(_ flag: String?) -> String {
        if let flag { return flag }
        if let value = getenv("PODMETA_SOCKET").map({ String(cString: $0) }), !value.isEmpty { return value }
        return defaultSocket
    }
}
