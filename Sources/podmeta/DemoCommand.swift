import ArgumentParser
import Logging
import PodmetaCore
import PodmetaDemo
import PodmetaSettings
import ServiceLifecycle

/// `podmeta demo`: the agent on a simulated kubelet volume, no cluster needed.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the agent on a simulated kubelet volume and show what each consumer sees.",
        discussion: """
            No cluster needed. The demo writes a downwardAPI volume the way the kubelet \
            does (timestamped generation directories, an atomic ..data symlink swap, labels \
            and annotations as Go-quoted key="value" lines, cpu and memory divided by the \
            items' divisors), starts `podmeta agent` on it as a child process with a JSON \
            file, a socket, an env file and an --on-change hook, then changes the pod's \
            labels and annotations every --interval: bumps the version label, flips canary, \
            edits an annotation, now and then adds or removes a label.

            After each change it shows what every consumer sees: the JSON file, \
            `curl --unix-socket ... http://localhost/v1/labels`, the env file as a shell \
            sources it, and the diff the hook received on stdin. Each consumer must show \
            the change within --timeout, or the demo fails (exit 1).

            Without --steps it runs until Ctrl-C (SIGINT or SIGTERM), then stops the agent \
            with SIGTERM and removes the temporary directory. Directories given with \
            --volume or --output-dir are used as they are and kept; the demo writes \
            pod.json, pod.env and hook.log into the output directory.

            Examples:
              podmeta demo
              podmeta demo --steps 3 --interval 1s
              podmeta demo --volume /tmp/podinfo --output-dir /tmp/podmeta --interval 5s
              # in another terminal, while it runs:
              curl --unix-socket /tmp/podmeta/podmeta.sock http://localhost/v1/labels
              podmeta get --socket /tmp/podmeta/podmeta.sock labels version
            """
    )

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Write the simulated volume here instead of a temporary directory (created if missing; must be empty or an earlier demo's volume).",
            valueName: "dir"))
    var volume: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Put the agent's JSON file, env file and the hook's log here.", valueName: "dir"))
    var outputDir: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Serve the agent's socket here (default: podmeta.sock in the output directory).", valueName: "path"))
    var socket: String?

    @Option(
        name: .long, help: ArgumentHelp("Time between two changes (default 3s).", valueName: "duration"),
        transform: DurationArgument.parse)
    var interval = DurationArgument(.seconds(3))

    @Option(
        name: .long,
        help: ArgumentHelp("Stop after this many changes (for CI); without it, run until Ctrl-C.", valueName: "n"))
    var steps: Int?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "How long each consumer may take to show a change before the demo fails (default 10s).",
            valueName: "duration"),
        transform: DurationArgument.parse)
    var timeout = DurationArgument(.seconds(10))

    @Option(name: .long, help: ArgumentHelp("The agent's --log-level (its log goes to stderr).", valueName: "level"))
    var agentLogLevel = LogLevelChoice.warning

    func validate() throws {
        guard interval.duration > .zero else { throw ValidationError("--interval must be longer than 0, such as 3s.") }
        guard timeout.duration > .zero else { throw ValidationError("--timeout must be longer than 0, such as 10s.") }
        if let steps, steps < 1 { throw ValidationError("--steps must be at least 1.") }
        do {
            try settings.check()
        } catch {
            throw ValidationError(error.message)
        }
    }

    private var settings: DemoSettings {
        DemoSettings(
            volume: volume, outputDirectory: outputDir, socket: socket, interval: interval.duration, steps: steps,
            timeout: timeout.duration, agentLogLevel: agentLogLevel.rawValue, colors: DemoPrinter.colorsWanted())
    }

    func run() async throws {
        let service = DemoService(session: DemoSession(settings: settings))
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(
                        service: service, successTerminationBehavior: .gracefullyShutdownGroup,
                        serviceName: "DemoService")
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: Logger(label: "podmeta.demo", factory: { _ in SwiftLogNoOpLogHandler() })))
        try await group.run()
        switch service.outcome {
        case .completed, .none:
            return
        case .interrupted(let changes):
            if let steps, changes < steps {
                throw CLIError.failure("interrupted after \(changes) of \(steps) changes")
            }
        case .failed(let message):
            throw CLIError.failure(message)
        }
    }
}
