/// The values of `podmeta agent`'s flags, as the executable's `AgentCommand` parsed them;
/// nil (or empty) where a flag was not given, so that the config file or the default
/// applies. ``AgentSettings`` resolves them.
package struct AgentFlags: Sendable {
    package var sources = SourceFlags()
    package var output: String?
    package var outputMode: FileModeArgument?
    package var socket: String?
    package var socketMode: FileModeArgument?
    package var allowUid: [UInt32] = []
    package var metricsAddress: MetricsAddressArgument?
    package var envFile: String?
    package var envFileFormat: EnvFileFormatChoice?
    package var varPrefix: NamingArgument?
    package var template: [TemplateSpec] = []
    package var onChange: String?
    package var hook: [HookArgument] = []
    package var webhook: [String] = []
    package var webhookAllowRemote = false
    package var signal: [String] = []
    package var hookTimeout: DurationArgument?
    package var wait: QuiescenceArgument?
    package var splay: DurationArgument?
    package var watcher: WatcherChoice?
    package var pollInterval: DurationArgument?
    package var resync: DurationArgument?
    package var once = false

    package init() {}
}
