import ArgumentParser
import Logging
import PodmetaAgent
import PodmetaCore
import PodmetaIO
import ServiceLifecycle

/// `podmeta agent`: the long-running sidecar.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Keep a merged JSON file (and the other outputs) in step with the pod's live metadata.",
        discussion: """
            The agent reads the downwardAPI volume and the POD_* variables, publishes a new \
            revision whenever the content changes (a kubelet swap that changes nothing \
            publishes nothing), and rewrites every output atomically. SIGTERM or SIGINT \
            finish the current publish and exit 0.

            Examples:
              podmeta agent --volume /etc/podinfo --output /run/podmeta/pod.json
              podmeta agent --once --output /shared/pod.json      # init container
              podmeta agent --watcher polling --poll-interval 2s --output /tmp/pod.json
            """
    )

    @OptionGroup var sources: SourceOptions

    @Option(name: .long, help: ArgumentHelp("Write the snapshot document here, atomically.", valueName: "file"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("Permission bits of the output file, in octal.", valueName: "mode"))
    var outputMode: String = "0644"

    @Option(name: .long, help: "Change detection: auto (inotify, polling if unavailable), inotify or polling.")
    var watcher: String = "auto"

    @Option(name: .long, help: "How often the polling watcher looks.")
    var pollInterval = DurationArgument(.seconds(1))

    @Option(name: .long, help: "Re-read everything this often even without events (0 disables).")
    var resync = DurationArgument(.seconds(60))

    @Flag(name: .long, help: "Read once, write every output, and exit (non-zero if anything failed): for init containers.")
    var once = false

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard AgentConfiguration.WatcherBackend(rawValue: watcher) != nil else {
            throw ValidationError("--watcher must be auto, inotify or polling, not \"\(watcher)\".")
        }
        guard UInt32(outputMode, radix: 8) != nil else {
            throw ValidationError("--output-mode must be octal permission bits such as 0644, not \"\(outputMode)\".")
        }
        guard pollInterval.duration > .zero else { throw ValidationError("--poll-interval must be positive.") }
        if output == nil {
            throw ValidationError("Nothing to do: give --output FILE.")
        }
    }

    func run() async throws {
        let logger = logging.bootstrap()
        let environment = ProcessEnvironment.current()
        let volume = sources.volumePath(environment: environment)
        let loader = SnapshotLoader(volume: volume, assembler: try sources.assembler())
        var outputs: [any SnapshotOutput] = []
        if let output {
            outputs.append(JSONFileOutput(path: output, mode: UInt32(outputMode, radix: 8)!, forbiddenRoot: volume))
        }
        let configuration = AgentConfiguration(
            loader: loader, outputs: outputs,
            watcherBackend: AgentConfiguration.WatcherBackend(rawValue: watcher)!,
            pollInterval: pollInterval.duration,
            resyncInterval: resync.duration == .zero ? nil : resync.duration,
            once: once, variables: environment)
        let agent = AgentService(
            configuration: configuration, store: SnapshotStore(), health: AgentHealth(),
            metrics: MetricsRegistry(), logger: logger)
        if once {
            do {
                try await agent.run()
            } catch {
                throw CLIError.failure("\(error)")
            }
            return
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: agent)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}
