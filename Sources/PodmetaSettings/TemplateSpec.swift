import Logging
import PodmetaAgent
import PodmetaCore
import PodmetaProcess

/// A `--template SRC:DEST[:MODE]` flag or a config file `templates` entry.
package struct TemplateSpec: Sendable {
    package var source: String
    package var destination: String
    package var mode: UInt32
    package var strict: Bool
    package var command: String?

    /// Parses a flag value; the error is printed after the value by argument-parser.
    @Sendable package init(parsing spec: String) throws(CLIError) {
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw CLIError.usage("write SRC:DEST or SRC:DEST:MODE, such as app.ini.mustache:/run/podmeta/app.ini:0640")
        }
        source = parts[0]
        destination = parts[1]
        mode = parts.count == 3 ? try FileModeArgument.parse(parts[2]).bits : 0o644
        strict = false
        command = nil
    }

    package init(file entry: AgentConfigFile.Template) throws {
        source = entry.source
        destination = entry.destination
        mode = try AgentSettings.mode(entry.mode, key: "templates[].mode", default: 0o644)
        strict = entry.strict ?? false
        command = entry.command
    }

    /// The output; the template is read and parsed now, so a broken template stops the
    /// agent at start instead of at the first change.
    /// `command` runs on a runner from `makeRunner` (the dispatcher's: the agent's
    /// environment and metrics), with `timeout`, and after `quiescence` and `splay` as the
    /// hooks: it reloads an app as they do, and relabelling every replica at once must not
    /// reload them all at once either.
    /// - Throws: ``TemplateOutputError``: exit 66 when the template cannot be read, 65 when
    ///   it does not parse.
    package func output(
        forbiddenRoot: String?, logger: Logger, timeout: Duration, quiescence: HookQuiescence? = nil,
        splay: Duration = .zero, makeRunner: (HookDefinition) -> HookRunner
    ) throws -> TemplateOutput {
        let runner = command.map { command in
            var definition = HookDefinition(
                name: "template:\(destination)", command: .shell(command), timeout: timeout, quiescence: quiescence)
            definition.splay = splay
            return makeRunner(definition)
        }
        return try TemplateOutput(
            source: source, destination: destination, mode: mode, strict: strict, command: runner,
            forbiddenRoot: forbiddenRoot, logger: logger)
    }
}
