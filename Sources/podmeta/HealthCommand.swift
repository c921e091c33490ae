import ArgumentParser
import PodmetaCore
import PodmetaServer
import PodmetaSettings

/// `podmeta health`: a Kubernetes exec probe against the agent's socket.
///
/// A one-shot command: a blocking client, no event loop, so a probe costs a few
/// milliseconds and no threads.
struct HealthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Exit 0 when the agent answers healthy (or ready, with --ready), 1 otherwise.",
        discussion: """
            For exec probes. Liveness asks /healthz (the watcher runs); --ready asks /readyz \
            (every output, JSON file, env file and templates, has been written once). On \
            failure one line on stderr says why.

            Example (container spec; the socket comes from PODMETA_SOCKET or the default):
              livenessProbe:
                exec:
                  command: [podmeta, health]
              readinessProbe:
                exec:
                  command: [podmeta, health, --ready]
            """
    )

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The agent's socket (env PODMETA_SOCKET; default \(GetCommand.defaultSocket)).", valueName: "path"))
    var socket: String?

    @Flag(name: .long, help: "Check readiness instead of liveness.")
    var ready = false

    @Option(
        name: .long, help: ArgumentHelp("How long to wait for the answer (default 2s).", valueName: "duration"),
        transform: DurationArgument.parse)
    var timeout = DurationArgument(.seconds(2))

    func validate() throws {
        if timeout.duration == .zero { throw ValidationError("--timeout must be longer than 0, such as 2s.") }
    }

    func run() throws {
        let path = GetCommand.socketPath(socket)
        let what = ready ? "ready" : "healthy"
        let client = UnixSocketHTTPClient(path: path, timeout: timeout.duration)
        let response: UnixSocketHTTPResponse
        do {
            response = try client.request(ready ? "/readyz" : "/healthz")
        } catch {
            throw CLIError.failure("not \(what): \(error)")
        }
        guard response.status == 200 else {
            let reason =
                (try? JSONParser.parse(response.body))?["error"]?.stringValue ?? "HTTP status \(response.status)"
            throw CLIError.failure("not \(what): \(reason)")
        }
    }
}
