import Logging
import PodmetaAgent
import PodmetaCore
import PodmetaIO
import PodmetaProcess
import PodmetaServer
import PodmetaWebhook

/// The agent's settings: flags first, then the config file, then defaults, checked
/// together so that a bad value is reported once, with where it came from.
package struct AgentSettings: Sendable {
    package var volume: String?
    package var loader: SnapshotLoader
    package var output: String?
    package var outputMode: UInt32
    package var envFile: String?
    package var envFileFormat: EnvironmentFormat
    package var naming: EnvironmentNaming
    package var templates: [TemplateSpec]
    package var socket: SocketServerConfiguration?
    package var metricsAddress: MetricsAddress?
    package var hooks: [HookConfiguration]
    /// `--hook-timeout`: hooks without their own timeout, and templates' commands.
    package var hookTimeout: Duration
    /// `--wait` and `--splay` (or the file's `wait` and `splay`): hooks without their own,
    /// and templates' commands, which are reloads like any hook.
    package var hookWait: HookQuiescence?
    package var hookSplay: Duration
    package var watcher: AgentConfiguration.WatcherBackend
    package var pollInterval: Duration
    package var resync: Duration?
    package var logFormat: LogFormatChoice?
    package var logLevel: LogLevelChoice?

    package init(flags: AgentFlags, file: AgentConfigFile?, environment: [String: String]) throws {
        do {
            loader = SnapshotLoader(
                volume: flags.sources.volumePath(environment: environment, file: file),
                assembler: try flags.sources.assembler(file: file))
        } catch {
            throw CLIError.usage(error.description)
        }
        volume = loader.volume
        output = try AgentSettings.path(flags.output ?? file?.output, "--output", "a file path")
        outputMode =
            try flags.outputMode?.bits ?? AgentSettings.mode(file?.outputMode, key: "outputMode", default: 0o644)
        envFile = try AgentSettings.path(flags.envFile ?? file?.envFile, "--env-file", "a file path")
        envFileFormat =
            try
            (flags.envFileFormat
            ?? EnvFileFormatChoice.configured(file?.envFileFormat, key: "envFileFormat", default: .sh)).format
        if let flag = flags.varPrefix {
            naming = flag.naming
        } else {
            do {
                naming = try EnvironmentNaming(prefix: file?.varPrefix ?? "POD_")
            } catch {
                throw CLIError.usage("the config file's varPrefix: \(error)")
            }
        }
        templates =
            flags.template.isEmpty ? try (file?.templates ?? []).map(TemplateSpec.init(file:)) : flags.template
        if let path = try AgentSettings.path(flags.socket ?? file?.socket, "--socket", "a socket path") {
            var configuration = SocketServerConfiguration(path: path)
            configuration.mode =
                try flags.socketMode?.bits ?? AgentSettings.mode(file?.socketMode, key: "socketMode", default: 0o660)
            let uids = flags.allowUid.isEmpty ? (file?.allowUids ?? []) : flags.allowUid
            configuration.allowedUIDs = uids.isEmpty ? nil : Set(uids)
            socket = configuration
        }
        metricsAddress = try (flags.metricsAddress ?? file?.metricsAddress.map(MetricsAddressArgument.parse))?.address
        watcher = try (flags.watcher ?? WatcherChoice.configured(file?.watcher, key: "watcher", default: .auto))
            .backend
        pollInterval = try AgentSettings.interval(
            flags.pollInterval?.duration ?? file?.pollInterval ?? .seconds(1), "--poll-interval", allowsZero: false)
        let resyncInterval = try AgentSettings.interval(
            flags.resync?.duration ?? file?.resync ?? .seconds(60), "--resync", allowsZero: true)
        resync = resyncInterval == .zero ? nil : resyncInterval
        logFormat = try file?.logFormat.map { text throws(CLIError) in
            try LogFormatChoice.configured(text, key: "logFormat", default: .text)
        }
        logLevel = try file?.logLevel.map { text throws(CLIError) in
            try LogLevelChoice.configured(text, key: "logLevel", default: .info)
        }
        hookTimeout = try AgentSettings.interval(
            flags.hookTimeout?.duration ?? file?.hookTimeout ?? .seconds(30), "--hook-timeout", allowsZero: false)
        hookWait = try AgentSettings.defaultWait(flags: flags, file: file)
        hookSplay = try AgentSettings.defaultSplay(flags: flags, file: file)
        hooks = try AgentSettings.hooks(flags: flags, file: file)
        if output == nil && socket == nil && envFile == nil && templates.isEmpty {
            throw CLIError.usage(
                "nothing to do: give --output FILE, --env-file FILE, --socket PATH or --template SRC:DEST")
        }
        if let problem = pathPlan.problem() { throw CLIError.usage(problem) }
        if flags.once && socket != nil {
            throw CLIError.usage("--once and a socket exclude each other: a one-shot run serves nothing")
        }
        if flags.once && metricsAddress != nil {
            throw CLIError.usage("--once and --metrics-address exclude each other: a one-shot run serves nothing")
        }
        if flags.once && !hooks.isEmpty {
            throw CLIError.usage("--once runs no hooks: hooks fire on changes, and a one-shot run sees none")
        }
    }

    /// The server to run: the socket, the metrics listener, or both on one event loop.
    package var server: SocketServerConfiguration? {
        guard var configuration = socket ?? metricsAddress.map(SocketServerConfiguration.init(metricsAddress:)) else {
            return nil
        }
        configuration.metricsAddress = metricsAddress
        return configuration
    }

    /// Every path the outputs write or read, for the checks of ``OutputPathPlan``.
    package var pathPlan: OutputPathPlan {
        var entries: [OutputPathPlan.Entry] = []
        if let output { entries.append(.init(flag: "--output", path: output, role: .file)) }
        if let envFile { entries.append(.init(flag: "--env-file", path: envFile, role: .file)) }
        if let path = socket?.path { entries.append(.init(flag: "--socket", path: path, role: .socket)) }
        for template in templates {
            entries.append(.init(flag: "--template", path: template.destination, role: .file))
            entries.append(.init(flag: "--template", path: template.source, role: .templateSource))
        }
        return OutputPathPlan(entries: entries, volume: volume)
    }

    /// A path setting: nil when not given, refused when empty.
    package static func path(_ text: String?, _ flag: String, _ what: String) throws(CLIError) -> String? {
        guard let text else { return nil }
        guard !text.isEmpty else { throw CLIError.usage("\(flag) needs \(what), not an empty string") }
        return text
    }

    /// A duration setting from a flag or the config file: positive (or zero, where zero
    /// turns the feature off) and at most ``DurationArgument/maximum``.
    package static func interval(_ duration: Duration, _ flag: String, allowsZero: Bool) throws(CLIError) -> Duration {
        if duration == .zero, allowsZero { return duration }
        guard duration > .zero else {
            throw CLIError.usage("\(flag) must be longer than 0, such as 1s or 500ms")
        }
        guard duration <= DurationArgument.maximum else {
            throw CLIError.usage("\(flag) can be at most 24h, not \(DurationText.format(duration))")
        }
        return duration
    }

    /// A mode of the config file, or `value` when the file has none.
    package static func mode(_ text: String?, key: String, default value: UInt32) throws(CLIError) -> UInt32 {
        guard let text else { return value }
        do {
            return try FileModeArgument.parse(text).bits
        } catch {
            throw CLIError.usage("the config file's \(key) \"\(text)\": \(error)")
        }
    }

    /// A `wait` of the config file (the file's or a hook's).
    static func quiescence(_ text: String?) throws(CLIError) -> HookQuiescence? {
        guard let text else { return nil }
        do {
            return try QuiescenceArgument.parse(text).quiescence
        } catch {
            throw CLIError.usage("the config file's \(error)")
        }
    }

    /// `--wait`, or the file's `wait`.
    static func defaultWait(flags: AgentFlags, file: AgentConfigFile?) throws(CLIError) -> HookQuiescence? {
        if let wait = flags.wait { return wait.quiescence }
        return try quiescence(file?.wait)
    }

    /// `--splay`, or the file's `splay`, or none.
    static func defaultSplay(flags: AgentFlags, file: AgentConfigFile?) throws(CLIError) -> Duration {
        try interval(flags.splay?.duration ?? file?.splay ?? .zero, "--splay", allowsZero: true)
    }

    /// `--on-change`, `--hook` and the file's `onChange` and `hooks`.
    package static func hooks(flags: AgentFlags, file: AgentConfigFile?) throws -> [HookConfiguration] {
        let timeout = try interval(
            flags.hookTimeout?.duration ?? file?.hookTimeout ?? .seconds(30), "--hook-timeout", allowsZero: false)
        let defaultWait = try defaultWait(flags: flags, file: file)
        let defaultSplay = try defaultSplay(flags: flags, file: file)
        var hooks: [HookConfiguration] = []
        if let onChange = flags.onChange ?? file?.onChange {
            hooks.append(
                HookConfiguration(
                    name: "on-change", command: .shell(onChange), timeout: timeout, quiescence: defaultWait))
        }
        for (index, hook) in flags.hook.enumerated() {
            hooks.append(
                HookConfiguration(
                    name: "hook-\(index + 1)", command: .shell(hook.command), filters: hook.filters,
                    timeout: timeout, quiescence: defaultWait))
        }
        for (index, url) in flags.webhook.enumerated() {
            hooks.append(
                HookConfiguration(
                    name: "webhook-\(index + 1)",
                    action: .perform(
                        try webhook(.init(url: url, headers: []), allowRemote: flags.webhookAllowRemote)),
                    timeout: timeout, quiescence: defaultWait))
        }
        for (index, spec) in flags.signal.enumerated() {
            guard let eq = spec.lastIndex(of: "="), eq != spec.startIndex else {
                throw CLIError.usage(
                    "--signal \"\(spec)\" must be PROCESS=SIGNAL, e.g. nginx=HUP or '/gunicorn: master/=HUP'")
            }
            hooks.append(
                HookConfiguration(
                    name: "signal-\(index + 1)",
                    action: .perform(
                        try signalHook(
                            .init(process: String(spec[..<eq]), signal: String(spec[spec.index(after: eq)...])))),
                    timeout: timeout, quiescence: defaultWait))
        }
        for index in hooks.indices { hooks[index].splay = defaultSplay }
        // Where each hook came from, to name both sides of a duplicate name.
        // The flags' hooks are named after their flag: `on-change`, `hook-N`, `webhook-N`, `signal-N`.
        var origins = hooks.map { hook in
            switch hook.name {
            case "on-change": flags.onChange == nil ? "the config file's onChange" : "--on-change"
            default: "--\(hook.name.prefix { $0 != "-" })"
            }
        }
        for (index, hook) in (file?.hooks ?? []).enumerated() {
            origins.append("the config file's hooks[\(index)]")
            var selector: LabelSelector?
            if let text = hook.selector {
                do {
                    selector = try LabelSelector(parsing: text)
                } catch {
                    throw CLIError.usage("hook \"\(hook.name)\": \(error)")
                }
            }
            let action: HookAction
            do {
                switch hook.kind {
                case .command(.argv(let argv)): action = .command(.argv(argv))
                case .command(.shell(let text)): action = .command(.shell(text))
                case .webhook(let webhook):
                    action = .perform(
                        try self.webhook(
                            webhook, allowRemote: flags.webhookAllowRemote || webhook.allowRemote == true))
                case .signal(let signal): action = .perform(try signalHook(signal))
                }
            } catch {
                throw CLIError.usage("hook \"\(hook.name)\": \(error.message)")
            }
            hooks.append(
                HookConfiguration(
                    name: hook.name, action: action, filters: try filters(hook.on), selector: selector,
                    timeout: try hook.timeout.map { value throws(CLIError) in
                        try interval(value, "hook \"\(hook.name)\": timeout", allowsZero: false)
                    } ?? timeout, quiescence: try quiescence(hook.wait) ?? defaultWait))
            hooks[hooks.count - 1].splay =
                try hook.splay.map { value throws(CLIError) in
                    try interval(value, "hook \"\(hook.name)\": splay", allowsZero: true)
                } ?? defaultSplay
        }
        try requireUniqueNames(hooks.map(\.name), origins: origins)
        return hooks
    }

    /// A hook's name is its `hook` label in the metrics and the logs, so two hooks may not
    /// share one: the flags' hooks are `on-change`, `hook-N`, `webhook-N` and `signal-N`, the
    /// file's unnamed hooks `file-hook-N`, templates' commands `template:DEST` (whose
    /// destinations differ), and only an explicit `name` can collide.
    static func requireUniqueNames(_ names: [String], origins: [String]) throws(CLIError) {
        var first: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            if name.hasPrefix("template:") {
                throw CLIError.usage(
                    "\(origins[index]) is named \"\(name)\": template: names the templates' commands, "
                        + "give the hook another name")
            }
            if let earlier = first[name] {
                throw CLIError.usage(
                    "two hooks are named \"\(name)\" (\(origins[earlier]) and \(origins[index])): "
                        + "give the config file's hooks names of their own")
            }
            first[name] = index
        }
    }

    /// A webhook performer from its settings.
    package static func webhook(_ settings: AgentConfigFile.Hook.Webhook, allowRemote: Bool) throws(CLIError)
        -> WebhookHook
    {
        let target: WebhookTarget
        do {
            target = try WebhookTarget(parsing: settings.url, allowRemote: allowRemote)
        } catch {
            throw CLIError.usage(error.description)
        }
        let method = settings.method?.uppercased() ?? "POST"
        guard !method.isEmpty, method.utf8.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else {
            throw CLIError.usage(
                "the webhook method \"\(settings.method ?? "")\" is not an HTTP method such as POST or PUT")
        }
        var backoff = RetryBackoff(retries: settings.retries ?? 3)
        if let text = settings.backoff {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2, let initial = DurationText.parse(String(parts[0])), initial > .zero,
                let maximum = parts.count == 2 ? DurationText.parse(String(parts[1])) : .seconds(30),
                maximum >= initial
            else {
                throw CLIError.usage(
                    "the webhook backoff \"\(text)\" must be INITIAL[:MAX] such as 500ms:30s, MAX >= INITIAL")
            }
            backoff = RetryBackoff(retries: backoff.retries, initial: initial, maximum: maximum)
        }
        return WebhookHook(
            target: target, method: method, headers: settings.headers.map { ($0.name, $0.value) },
            expectedStatuses: Set(settings.expectStatus ?? []), backoff: backoff)
    }

    /// A signal performer from its settings.
    package static func signalHook(_ settings: AgentConfigFile.Hook.Signal) throws(CLIError) -> SignalHook {
        let matcher: ProcessMatcher
        do {
            matcher = try ProcessMatcher(parsing: settings.process)
        } catch {
            throw CLIError.usage(error.description)
        }
        let text = settings.signal ?? "HUP"
        guard let signal = ProcessSignal(parsing: text), signal.canBeCaught else {
            throw CLIError.usage("the signal \"\(text)\" is not a signal a process can catch (HUP, USR1, ...)")
        }
        return SignalHook(
            matcher: matcher, signal: signal, multiple: settings.multiple == "all" ? .all : .refuse)
    }

    package static func filters(_ texts: [String]) throws(CLIError) -> [ChangeFilter] {
        var filters: [ChangeFilter] = []
        for text in texts {
            do {
                filters.append(try ChangeFilter(parsing: text))
            } catch {
                throw CLIError.usage(error.description)
            }
        }
        return filters
    }

    /// The outputs these settings describe, and the runners of the templates' commands
    /// (made by `hooks`, for it to adopt).
    package func outputs(logger: Logger, hooks: HookDispatcher) throws -> (
        outputs: [any SnapshotOutput], runners: [HookRunner]
    ) {
        var outputs: [any SnapshotOutput] = []
        var runners: [HookRunner] = []
        if let output {
            outputs.append(JSONFileOutput(path: output, mode: outputMode, forbiddenRoot: volume))
        }
        if let envFile {
            outputs.append(
                EnvFileOutput(
                    path: envFile, format: envFileFormat, naming: naming, forbiddenRoot: volume, logger: logger))
        }
        for template in templates {
            outputs.append(
                try template.output(
                    forbiddenRoot: volume, logger: logger, timeout: hookTimeout, quiescence: hookWait, splay: hookSplay
                ) { definition in
                    let runner = hooks.makeRunner(definition)
                    runners.append(runner)
                    return runner
                })
        }
        return (outputs, runners)
    }

    /// Reads and parses the config file (exit 66 unreadable, 65 invalid).
    package static func readConfigFile(_ path: String) throws -> AgentConfigFile {
        let bytes: [UInt8]
        do {
            bytes = try SmallFile.read(path, limit: 1 << 20)
        } catch {
            throw CLIError.unreadable("cannot read the config file \(path): \(error.message)")
        }
        do {
            return try AgentConfigFile(parsing: bytes, path: path)
        } catch {
            throw CLIError.badData("\(error)")
        }
    }
}
