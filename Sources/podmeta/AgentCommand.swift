import ArgumentParser
import Logging
import PodmetaAgent
import PodmetaCore
import PodmetaIO
import PodmetaProcess
import PodmetaServer
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

            Outputs (give at least one): --output (the JSON document), --env-file (variables \
            for shell entrypoints), --socket (the HTTP API: curl --unix-socket PATH \
            http://localhost/v1/labels). Hooks run a command after each change of labels \
            or annotations, with the diff as JSON on stdin and PODMETA_REVISION and \
            PODMETA_CHANGED in the environment; they never delay publishing.

            Examples:
              podmeta agent --volume /etc/podinfo --output /run/podmeta/pod.json \\
                  --socket /run/podmeta/podmeta.sock
              podmeta agent --once --output /shared/pod.json --env-file /shared/pod.env
              podmeta agent --output /tmp/pod.json --on-change 'echo "$PODMETA_CHANGED" >&2'
              podmeta agent --socket /tmp/p.sock --hook 'labels/version=/usr/local/bin/reload'
              podmeta agent --watcher polling --poll-interval 2s --output /tmp/pod.json
            """
    )

    @OptionGroup var sources: SourceOptions

    @Option(name: .long, help: ArgumentHelp("Write the snapshot document here, atomically.", valueName: "file"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("Permission bits of the output file, in octal.", valueName: "mode"))
    var outputMode: String = "0644"

    @Option(name: .long, help: ArgumentHelp("Serve the HTTP API on this Unix socket.", valueName: "path"))
    var socket: String?

    @Option(name: .long, help: ArgumentHelp("Permission bits of the socket, in octal.", valueName: "mode"))
    var socketMode: String = "0660"

    @Option(name: .long, help: ArgumentHelp("Only this user id may use the socket (SO_PEERCRED), repeatable.", valueName: "uid"))
    var allowUid: [UInt32] = []

    @Option(name: .long, help: ArgumentHelp("Write the variables here on every change, atomically.", valueName: "file"))
    var envFile: String?

    @Option(name: .long, help: "Format of --env-file: sh (export lines to source) or env-file (literal NAME=value).")
    var envFileFormat: String = "sh"

    @Option(name: .long, help: ArgumentHelp("Prefix of the variable names in --env-file.", valueName: "prefix"))
    var varPrefix = "POD_"

    @Option(name: .long, help: ArgumentHelp("Run this shell command after each change of labels or annotations.", valueName: "command"))
    var onChange: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A filtered hook, FILTERS=COMMAND, repeatable: FILTERS are comma-separated labels/KEY, annotations/KEY or globs (labels/*).",
            valueName: "spec"))
    var hook: [String] = []

    @Option(name: .long, help: "Kill a hook (its process group) that runs longer than this.")
    var hookTimeout = DurationArgument(.seconds(30))

    @Option(name: .long, help: ArgumentHelp("Quiescence before a hook runs, MIN[:MAX] (consul-template's wait).", valueName: "min[:max]"))
    var wait: String?

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
        if output == nil && socket == nil && envFile == nil {
            throw ValidationError("Nothing to do: give --output FILE, --env-file FILE or --socket PATH.")
        }
        guard UInt32(socketMode, radix: 8) != nil else {
            throw ValidationError("--socket-mode must be octal permission bits such as 0660, not \"\(socketMode)\".")
        }
        guard EnvironmentFormat(rawValue: envFileFormat) != nil, envFileFormat != "json" else {
            throw ValidationError("--env-file-format must be sh or env-file, not \"\(envFileFormat)\".")
        }
        if (try? EnvironmentNaming(prefix: varPrefix)) == nil {
            throw ValidationError("--var-prefix \"\(varPrefix)\" cannot start a variable name.")
        }
        if once && socket != nil { throw ValidationError("--once and --socket exclude each other: a one-shot run serves nothing.") }
        do { _ = try hooks() } catch { throw ValidationError("\(error)") }
    }

    /// `--on-change` and `--hook`, parsed.
    func hooks() throws -> [HookConfiguration] {
        var quiescence: HookQuiescence?
        if let wait {
            quiescence = try HookQuiescence(parsing: wait, parseDuration: DurationText.parse)
        }
        var hooks: [HookConfiguration] = []
        if let onChange {
            hooks.append(HookConfiguration(
                name: "on-change", command: .shell(onChange), timeout: hookTimeout.duration, quiescence: quiescence))
        }
        for (index, spec) in hook.enumerated() {
            guard let eq = spec.firstIndex(of: "="), eq != spec.startIndex, spec.index(after: eq) != spec.endIndex else {
                throw CLIError.usage("--hook \"\(spec)\" must be FILTERS=COMMAND, e.g. labels/version=/bin/reload")
            }
            var filters: [ChangeFilter] = []
            for text in spec[..<eq].split(separator: ",") {
                filters.append(try ChangeFilter(parsing: String(text)))
            }
            hooks.append(HookConfiguration(
                name: "hook-\(index + 1)", command: .shell(String(spec[spec.index(after: eq)...])), filters: filters,
                timeout: hookTimeout.duration, quiescence: quiescence))
        }
        return hooks
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
        if let envFile {
            outputs.append(EnvFileOutput(
                path: envFile, format: EnvironmentFormat(rawValue: envFileFormat)!,
                naming: try EnvironmentNaming(prefix: varPrefix), forbiddenRoot: volume, logger: logger))
        }
        let configuration = AgentConfiguration(
            loader: loader, outputs: outputs,
            watcherBackend: AgentConfiguration.WatcherBackend(rawValue: watcher)!,
            pollInterval: pollInterval.duration,
            resyncInterval: resync.duration == .zero ? nil : resync.duration,
            once: once, variables: environment)
        let store = SnapshotStore()
        let health = AgentHealth()
        let metrics = MetricsRegistry()
        let agent = AgentService(
            configuration: configuration, store: store, health: health, metrics: metrics, logger: logger)
        if once {
            do {
                try await agent.run()
            } catch {
                throw CLIError.failure("\(error)")
            }
            return
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let socket {
            var serverConfiguration = SocketServerConfiguration(path: socket)
            serverConfiguration.mode = UInt32(socketMode, radix: 8)!
            serverConfiguration.allowedUIDs = allowUid.isEmpty ? nil : Set(allowUid)
            let server = SocketServer(
                configuration: serverConfiguration, store: store, health: health, metrics: metrics, logger: logger)
            // Bind before anything else: a second agent on the same socket refuses at once.
            do {
                try await server.start()
            } catch {
                throw CLIError.failure("\(error)")
            }
            services.append(.init(service: server))
        }
        let hooks = try hooks()
        if !hooks.isEmpty {
            let dispatcher = HookDispatcher(
                hooks: hooks, store: store, metrics: metrics, environment: environment, logger: logger)
            services.append(.init(service: HookService(dispatcher: dispatcher)))
        }
        // The agent last: ServiceGroup stops services in reverse order, so publishing stops
        // first and the socket answers until the end.
        services.append(.init(service: agent))
        let group = ServiceGroup(
            configuration: .init(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}
