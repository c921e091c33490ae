import PodmetaCore

/// `--on FILTERS`: comma-separated `labels/KEY` or `annotations/KEY`, globs allowed
/// (`labels/*`, `annotations/example.com/*`), as in `--hook` and a hook's `on:`.
package struct ChangeFilterArgument: Sendable {
    package var filters: [ChangeFilter]

    @Sendable package static func parse(_ text: String) throws(CLIError) -> ChangeFilterArgument {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return ChangeFilterArgument(filters: try AgentSettings.filters(parts))
    }
}
