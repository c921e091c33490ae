import ArgumentParser
import Logging
import PodmetaAgent
import PodmetaCore
import PodmetaIO
import PodmetaProcess
import PodmetaServer
import PodmetaSettings
import PodmetaState
import ServiceLifecycle
import UnixSignals

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
            PODMETA_CHANGED in the environment; webhooks (--webhook) get the same JSON as \
            their request body; signal hooks (--signal) signal a process of the pod. Hooks \
            never delay publishing.

            The JSON file given with --config holds the same settings, named in \
            camelCase (--env-file is "envFile", --allow-uid "allowUids", --hook's richer \
            form "hooks"); flags win. Only --config, --once and --no-volume have no key. \
            SIGHUP re-reads the file and applies new items, outputs, templates and hooks \
            without losing the revision (the volume, the socket and the watcher need a \
            restart).

            Durations are written 500ms, 2s, 1m30s or 1h. Outputs must name distinct \
            regular files (or paths that do not exist yet) outside the watched volume; \
            anything else is refused at start (exit 2).

            Examples:
              podmeta agent --volume /etc/podinfo --output /run/podmeta/pod.json \\
                  --socket /run/podmeta/podmeta.sock
              podmeta agent --once --output /shared/pod.json --env-file /shared/pod.env
              podmeta agent --output /tmp/pod.json \\
                  --on-change 'echo "$PODMETA_CHANGED" >&2'
              podmeta agent --socket /tmp/p.sock \\
                  --hook 'labels/version=/usr/local/bin/reload'
              podmeta agent --output /tmp/pod.json \\
                  --webhook http://localhost:9090/-/reload
              podmeta agent --output /tmp/pod.json --signal nginx=HUP
              podmeta agent --watcher polling --poll-interval 2s --output /tmp/pod.json
            """
    )

    @OptionGroup var sources: SourceOptions

    @Option(
        name: .long,
        help: ArgumentHelp("Read settings from this JSON file; flags win. SIGHUP re-reads it.", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Write the snapshot document here, atomically.", valueName: "file"))
    var output: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Permission bits of the output file, in octal (default 0644).", valueName: "mode"),
        transform: FileModeArgument.parse)
    var outputMode: FileModeArgument?

    @Option(name: .long, help: ArgumentHelp("Serve the HTTP API on this Unix socket.", valueName: "path"))
    var socket: String?

    @Option(
        name: .long, help: ArgumentHelp("Permission bits of the socket, in octal (default 0660).", valueName: "mode"),
        transform: FileModeArgument.parse)
    var socketMode: FileModeArgument?

    @Option(
        name: .long,
        help: ArgumentHelp("Only this user id may use the socket (SO_PEERCRED), repeatable.", valueName: "uid"))
    var allowUid: [UInt32] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Also serve /metrics, /healthz and /readyz over TCP, HOST:PORT such as 0.0.0.0:9533 (off by default; the pod's data is never served over TCP).",
            valueName: "host:port"),
        transform: MetricsAddressArgument.parse)
    var metricsAddress: MetricsAddressArgument?

    @Option(name: .long, help: ArgumentHelp("Write the variables here on every change, atomically.", valueName: "file"))
    var envFile: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Format of --env-file: sh (export lines to source; the default) or env-file (literal NAME=value for Docker and systemd).",
            valueName: "format"))
    var envFileFormat: EnvFileFormatChoice?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Prefix of the variable names in --env-file (default POD_; not empty, and never one that makes a name the shell owns, such as E for EUID).",
            valueName: "prefix"),
        transform: NamingArgument.parse)
    var varPrefix: NamingArgument?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Render a Mustache template with the snapshot document, SRC:DEST[:MODE], repeatable.", valueName: "spec"),
        transform: TemplateSpec.init(parsing:))
    var template: [TemplateSpec] = []

    @Option(
        name: .long,
        help: ArgumentHelp("Run this shell command after each change of labels or annotations.", valueName: "command"))
    var onChange: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A filtered hook, FILTERS=COMMAND, repeatable: FILTERS are comma-separated labels/KEY, annotations/KEY or globs (labels/*).",
            valueName: "spec"),
        transform: HookArgument.parse)
    var hook: [HookArgument] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "POST the change document to this URL after each change, with retries, repeatable: http://localhost:PORT/PATH or http+unix://%2Fpath%2Fto.sock/PATH.",
            valueName: "url"))
    var webhook: [String] = []

    @Flag(
        name: .long,
        help: "Let webhooks call hosts outside the pod (by default only loopback and Unix sockets are accepted).")
    var webhookAllowRemote = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Signal a process of the pod after each change, PROCESS=SIGNAL, repeatable: PROCESS is a name (nginx) or a /regex/ on its command line; needs shareProcessNamespace.",
            valueName: "spec"))
    var signal: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Kill a hook (its process group) that runs longer than this; a webhook attempt's limit too (default 30s).",
            valueName: "duration"),
        transform: DurationArgument.parse)
    var hookTimeout: DurationArgument?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Quiescence before a hook or a template's command runs: no change for MIN, at most MAX after the first (default 4×MIN), e.g. 2s:10s.",
            valueName: "min[:max]"),
        transform: QuiescenceArgument.parse)
    var wait: QuiescenceArgument?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Delay each hook or template command run by a random time up to this (after --wait), so replicas relabelled together"
                + " spread out, e.g. 30s.",
            valueName: "duration"),
        transform: DurationArgument.parse)
    var splay: DurationArgument?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Change detection: auto (inotify, polling if unavailable; the default), inotify or polling.",
            valueName: "watcher"))
    var watcher: WatcherChoice?

    @Option(
        name: .long, help: ArgumentHelp("How often the polling watcher looks (default 1s).", valueName: "duration"),
        transform: DurationArgument.parse)
    var pollInterval: DurationArgument?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Re-read everything this often even without events; 0 disables (default 60s).", valueName: "duration"),
        transform: DurationArgument.parse)
    var resync: DurationArgument?

    @Flag(
        name: .long, help: "Read once, write every output, and exit (non-zero if anything failed): for init containers."
    )
    var once = false

    @OptionGroup var logging: LoggingOptions

    /// The flags' values, for PodmetaSettings to resolve.
    var flags: AgentFlags {
        var flags = AgentFlags()
        flags.sources = sources.flags
        flags.output = output
        flags.outputMode = outputMode
        flags.socket = socket
        flags.socketMode = socketMode
        flags.allowUid = allowUid
        flags.metricsAddress = metricsAddress
        flags.envFile = envFile
        flags.envFileFormat = envFileFormat
        flags.varPrefix = varPrefix
        flags.template = template
        flags.onChange = onChange
        flags.hook = hook
        flags.webhook = webhook
        flags.webhookAllowRemote = webhookAllowRemote
        flags.signal = signal
        flags.hookTimeout = hookTimeout
        flags.wait = wait
        flags.splay = splay
        flags.watcher = watcher
        flags.pollInterval = pollInterval
        flags.resync = resync
        flags.once = once
        return flags
    }

    func validate() throws {
        // Flags alone are checked here; with --config the merged settings are checked in run().
        if config == nil {
            do {
                _ = try AgentSettings(flags: flags, file: nil, environment: [:])
            } catch let error as any CommandLineError {
                throw ValidationError(error.description)
            }
        }
    }

    func run() async throws {
        let environment = ProcessEnvironment.current()
        let file = try config.map(AgentSettings.readConfigFile)
        let settings = try AgentSettings(flags: flags, file: file, environment: environment)
        let logger = logging.bootstrap(format: settings.logFormat, level: settings.logLevel)
        // As a container's entrypoint we inherit every orphan of the pod's PID namespace (what
        // a hook leaves running in the background): reap them, before the first spawn.
        if ChildReaper.shared.startIfNeeded() {
            logger.debug("reaping orphaned processes (PID 1 or child subreaper)")
        }
        let store = SnapshotStore()
        let health = AgentHealth()
        let metrics = MetricsRegistry()
        // Always present, so SIGHUP can add hooks to an agent started without any.
        let dispatcher = HookDispatcher(
            hooks: settings.hooks, store: store, metrics: metrics, environment: environment, logger: logger)
        let (outputs, templateRunners) = try settings.outputs(logger: logger, hooks: dispatcher)
        dispatcher.adopt(templateRunners)
        let agent = AgentService(
            configuration: AgentConfiguration(
                loader: settings.loader, outputs: outputs,
                watcherBackend: settings.watcher, pollInterval: settings.pollInterval,
                resyncInterval: settings.resync, once: once, variables: environment),
            store: store, health: health, metrics: metrics, logger: logger)
        if once {
            // Templates' commands still run (their runners live in the dispatcher's group).
            // Failures propagate with their own exit status (CommandLineError).
            let result: Result<Void, any Error> = await withDiscardingTaskGroup { group in
                group.addTask { await dispatcher.run() }
                let result: Result<Void, any Error>
                do {
                    try await agent.run()
                    result = .success(())
                } catch {
                    result = .failure(error)
                }
                await dispatcher.shutdown(deadline: settings.hookTimeout)
                return result
            }
            try result.get()
            return
        }
        // Each service is named: without a name ServiceLifecycle takes `"\(service)"`, a
        // Mirror walk of the whole value (ReloadService holds this command) at every start.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let serverConfiguration = settings.server {
            let server = SocketServer(
                configuration: serverConfiguration, store: store, health: health, metrics: metrics, logger: logger)
            // Bind before anything else: a second agent on the same socket refuses at once.
            do {
                try await server.start()
            } catch {
                throw CLIError.failure("\(error)")
            }
            services.append(.init(service: server, serviceName: "SocketServer"))
        }
        services.append(.init(service: HookService(dispatcher: dispatcher), serviceName: "HookService"))
        // Always: without --config SIGHUP is only acknowledged, but it must not kill the agent.
        services.append(
            .init(
                service: ReloadService(
                    flags: flags, path: config, hangups: await UnixSignalsSequence(trapping: .sighup),
                    initial: settings,
                    environment: environment, agent: agent, dispatcher: dispatcher, logger: logger),
                serviceName: "ReloadService"))
        // The agent last: ServiceGroup stops services in reverse order, so publishing stops
        // first and the socket answers until the end.
        services.append(.init(service: agent, serviceName: "AgentService"))
        let group = ServiceGroup(
            configuration: .init(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}
