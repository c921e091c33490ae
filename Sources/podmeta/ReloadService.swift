import Logging
import PodmetaAgent
import PodmetaCore
import PodmetaIO
import PodmetaSettings
import ServiceLifecycle
import UnixSignals

/// SIGHUP: re-read the config file and apply what can change while running (items,
/// outputs, templates, hooks). The volume, the socket and the watcher are bound at start;
/// a change to them is reported, not applied. A file that does not parse changes nothing.
/// Without a config file SIGHUP is acknowledged and ignored: its default action would
/// kill the agent.
struct ReloadService: Service {
    let flags: AgentFlags
    /// The config file, nil when the agent runs on flags alone.
    let path: String?
    /// Trapped by the caller before any service starts, so a SIGHUP that arrives while the
    /// agent starts up does not kill it either.
    let hangups: UnixSignalsSequence
    let initial: AgentSettings
    let environment: [String: String]
    let agent: AgentService
    let dispatcher: HookDispatcher
    let logger: Logger

    func run() async throws {
        for await _ in hangups.cancelOnGracefulShutdown() {
            guard let path else {
                logger.notice("SIGHUP ignored: there is no --config file to re-read")
                continue
            }
            reload(path)
        }
    }

    private func reload(_ path: String) {
        do {
            let file = try AgentSettings.readConfigFile(path)
            let settings = try AgentSettings(flags: flags, file: file, environment: environment)
            for (name, changed) in [
                ("volume", settings.volume != initial.volume),
                ("socket", settings.socket != initial.socket),
                ("metrics address", settings.metricsAddress != initial.metricsAddress),
                (
                    "watcher",
                    settings.watcher != initial.watcher || settings.pollInterval != initial.pollInterval
                        || settings.resync != initial.resync
                ),
            ] where changed {
                logger.warning(
                    "the \(name) setting changed; restart the agent to apply it", metadata: ["path": "\(path)"])
            }
            let loader = SnapshotLoader(volume: initial.volume, assembler: settings.loader.assembler)
            let (outputs, runners) = try settings.outputs(logger: logger, hooks: dispatcher)
            dispatcher.replace(hooks: settings.hooks, runners: runners)
            agent.reconfigure(loader: loader, outputs: outputs)
            logger.info("configuration reloaded", metadata: ["path": "\(path)", "hooks": "\(settings.hooks.count)"])
        } catch {
            logger.error(
                "configuration not reloaded; keeping the running one",
                metadata: ["path": "\(path)", "error": "\(error)"])
        }
    }
}
