import ArgumentParser
import Glibc
import Logging
import PodmetaAgent
import PodmetaCore
import PodmetaIO
import PodmetaProcess
import PodmetaSettings
import PodmetaState

/// `podmeta exec`: run a command with the snapshot's variables in its environment.
struct ExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a command with the pod's metadata added to its environment.",
        discussion: """
            By default podmeta replaces itself with the command (execve: same PID, no \
            supervisor left behind), after adding POD_NAME, POD_LABEL_<KEY>, \
            POD_CPU_LIMIT_MILLICORES, ... to the inherited environment.

            With --reload-signal or --restart-on-change podmeta stays as the parent, watches \
            the volume, and on every change of the labels or annotations sends the signal to \
            the child or restarts it with fresh variables. The kubelet's own annotations \
            (kubernetes.io/config.seen, config.source, config.hash) never count as a change, \
            and with --on only a change of a selected key does (the others reach the child \
            with the next change that counts). On each such change podmeta first renders \
            every --template, then compares: when no rendered byte and no variable changed, \
            the child is left alone; otherwise it waits for --wait (no change for MIN, at \
            most MAX after the first), then for a random part of --splay, and signals or \
            restarts the child once, with the latest variables. As the parent it forwards \
            every catchable signal, reaps zombies (as a subreaper when not PID 1), stops the child on \
            SIGTERM with a grace period then SIGKILL, and exits with the child's status \
            (128+N if it died of signal N; 126/127 when it cannot be run).

            A variable the kernel would refuse (NAME=value over 128 KiB, or the environment \
            over the execve budget, largest first) is left out with one warning instead of \
            failing the command with E2BIG; --exclude-annotation keeps such keys out at the \
            source.

            Examples:
              podmeta exec -- ./server --port 8080
              podmeta exec --reload-signal HUP -- nginx -g 'daemon off;'
              podmeta exec --restart-on-change --grace-period 20s -- ./worker
              podmeta exec --reload-signal HUP --on labels/version -- ./server
              podmeta exec --restart-on-change --wait 5s:30s --splay 1m -- ./worker
              podmeta exec --template app.conf.mustache:/run/app.conf --reload-signal HUP \\
                  -- ./server
            """
    )

    @OptionGroup var sources: SourceOptions

    @Option(
        name: .long, help: ArgumentHelp("Prefix of the variable names (default POD_).", valueName: "prefix"),
        transform: NamingArgument.parse)
    var varPrefix = NamingArgument.standard

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Stay as the parent and send this signal to the command on every change.", valueName: "signal"))
    var reloadSignal: SignalArgument?

    @Flag(name: .long, help: "Stay as the parent and restart the command with fresh variables on every change.")
    var restartOnChange = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Signal or restart only when one of these keys changes, comma-separated labels/KEY or annotations/KEY (globs such as labels/*), repeatable.",
            valueName: "filters"),
        transform: ChangeFilterArgument.parse)
    var on: [ChangeFilterArgument] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Signal or restart only once the changes stop for MIN, but at most MAX after the first (default 4×MIN), e.g. 2s:10s; a burst goes out once with the latest variables.",
            valueName: "min[:max]"),
        transform: QuiescenceArgument.parse)
    var wait: QuiescenceArgument?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Delay each signal or restart by a random time up to this (after --wait), so replicas relabelled together spread out, e.g. 30s; changes meanwhile join it.",
            valueName: "duration"),
        transform: DurationArgument.parse)
    var splay: DurationArgument?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "After SIGTERM (or a restart), how long the child has before SIGKILL (default 10s).", valueName: "duration"),
        transform: DurationArgument.parse)
    var gracePeriod = DurationArgument(.seconds(10))

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Render a Mustache template with the snapshot document before the command starts and before each signal or restart, SRC:DEST[:MODE], repeatable.",
            valueName: "spec"),
        transform: TemplateSpec.init(parsing:))
    var template: [TemplateSpec] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Change detection while supervising: auto is inotify, polling if unavailable.",
            valueName: "watcher"))
    var watcher: WatcherChoice = .auto

    @OptionGroup var logging: LoggingOptions

    @Argument(
        parsing: .postTerminator, help: ArgumentHelp("The command and its arguments, after --.", valueName: "command"))
    var command: [String] = []

    func validate() throws {
        if command.isEmpty { throw ValidationError("Give the command to run after --, e.g. podmeta exec -- ./server.") }
        if reloadSignal != nil && restartOnChange {
            throw ValidationError("--reload-signal and --restart-on-change exclude each other.")
        }
        if wait != nil && reloadSignal == nil && !restartOnChange {
            throw ValidationError(
                "--wait holds the signal or restart of the command: give --reload-signal or --restart-on-change too.")
        }
        if splay != nil && reloadSignal == nil && !restartOnChange {
            throw ValidationError(
                "--splay delays the signal or restart of the command: give --reload-signal or --restart-on-change too.")
        }
        if !on.isEmpty && reloadSignal == nil && !restartOnChange {
            throw ValidationError(
                "--on selects the changes that signal or restart the command: give --reload-signal or --restart-on-change too."
            )
        }
    }

    func run() async throws {
        let logger = logging.bootstrap()
        let naming = varPrefix.naming
        let inherited = ProcessEnvironment.current()
        let load = try sources.load()
        let volume = sources.volumePath(environment: inherited)
        let store = SnapshotStore()
        // A fresh store always publishes its first snapshot.
        let initial = store.publish(load.snapshot)!
        // Rendered before the command starts: it never reads a missing or stale file, and a
        // template that cannot be read, parsed or written stops here.
        let templates = try template.map { spec in
            try spec.output(
                forbiddenRoot: volume, logger: logger, timeout: .seconds(30),
                makeRunner: { HookRunner(hook: $0, environment: inherited, logger: logger) })
        }
        for output in templates {
            do {
                _ = try output.render(initial)
            } catch let error as TemplateOutputError {
                throw error
            } catch {
                throw CLIError.failure("cannot write \(output.path): \(error)")
            }
        }
        var ledger = IssueLedger()
        let environment = ExecCommand.environment(
            inherited: inherited, snapshot: load.snapshot, naming: naming, command: command, ledger: &ledger)

        let mode: ExecSupervisor.Mode
        if let reloadSignal {
            mode = .reload(signal: reloadSignal.signal)
        } else if restartOnChange {
            mode = .restart
        } else {
            mode = .replace
        }
        let supervisor = ExecSupervisor(
            command: command, environment: environment, mode: mode,
            options: .init(gracePeriod: gracePeriod.duration), logger: logger)
        guard mode != .replace else {
            Glibc.exit(await supervisor.run(changes: AsyncStream { $0.finish() }))
        }

        // Supervising: the agent loop without outputs feeds the store. A new revision that
        // passes the gate (kubelet-local annotations never do; --on narrows further) renders
        // the templates, then reaches the child if a rendered byte or a variable changed.
        let agent = AgentService(
            configuration: AgentConfiguration(
                loader: SnapshotLoader(volume: volume, assembler: try sources.assembler()), outputs: [],
                watcherBackend: watcher.backend, variables: inherited),
            store: store, health: AgentHealth(), metrics: MetricsRegistry(), logger: logger)
        // Every change goes through the wait and the splay (without either it passes on at once).
        let spread = ChangeSplay<[String: String], ContinuousClock>(
            splay: splay?.duration ?? .zero, quiescence: wait?.quiescence)
        let gate = ChildChangeGate(initial: load.snapshot, filters: on.flatMap(\.filters))
        // The agent loop, the feeder and the splay are children of one task group, which the
        // supervisor's end cancels: nothing outlives the command.
        let status = await withTaskGroup(of: Void.self) { [command, ledger, gate] group in
            group.addTask { try? await agent.run() }
            group.addTask { await spread.run() }
            group.addTask {
                var ledger = ledger
                var gate = gate
                var current = environment
                for await published in store.updates() where published.revision > initial.revision {
                    guard gate.admit(published.snapshot) else { continue }
                    let rendered = ExecCommand.render(templates, published, logger: logger)
                    let next = ExecCommand.environment(
                        inherited: inherited, snapshot: published.snapshot, naming: naming, command: command,
                        ledger: &ledger)
                    guard rendered || next != current else {
                        logger.info(
                            "no rendered byte and no variable changed: the command is left alone",
                            metadata: ["revision": "\(published.revision)"])
                        continue
                    }
                    current = next
                    spread.send(next)
                }
                spread.finish()
            }
            let status = await supervisor.run(changes: spread.output)
            group.cancelAll()
            return status
        }
        Glibc.exit(status)
    }

    /// Renders every template; true when one of the files changed. A template that fails
    /// keeps its previous file and is reported; the others are still rendered.
    static func render(_ templates: [TemplateOutput], _ published: PublishedSnapshot, logger: Logger) -> Bool {
        var changed = false
        for output in templates {
            do {
                if try output.render(published) { changed = true }
            } catch {
                logger.error(
                    "template not rendered; the previous file is kept",
                    metadata: ["template": "\(output.source)", "error": "\(error)"])
            }
        }
        return changed
    }

    /// The inherited environment with the snapshot's variables on top, leaving out what
    /// execve would refuse (a variable over the kernel's per-string limit, or the largest
    /// ones when the whole is over budget); what is left out is reported once per key.
    static func environment(
        inherited: [String: String], snapshot: PodSnapshot, naming: EnvironmentNaming, command: [String],
        ledger: inout IssueLedger
    ) -> [String: String] {
        let result = naming.variables(for: snapshot)
        let budget = ExecEnvironmentBudget(argMax: sysconf(Int32(_SC_ARG_MAX)))
        let fitted = budget.environment(inherited: inherited, adding: result.variables, arguments: command)
        for issue in ledger.fresh(result.issues + fitted.issues) { StandardError.warn(issue.description) }
        return fitted.environment
    }
}
