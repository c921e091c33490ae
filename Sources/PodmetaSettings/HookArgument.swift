import PodmetaCore

/// `--hook FILTERS=COMMAND`: a shell command run after a change that one of the filters
/// (`labels/KEY`, `annotations/KEY`, globs such as `labels/*`) matches.
package struct HookArgument: Sendable {
    package var filters: [ChangeFilter]
    package var command: String

    @Sendable package static func parse(_ text: String) throws(CLIError) -> HookArgument {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex, text.index(after: eq) != text.endIndex else {
            throw CLIError.usage("write FILTERS=COMMAND, such as labels/version=/usr/local/bin/reload")
        }
        let filters = try AgentSettings.filters(text[..<eq].split(separator: ",").map(String.init))
        return HookArgument(filters: filters, command: String(text[text.index(after: eq)...]))
    }
}
