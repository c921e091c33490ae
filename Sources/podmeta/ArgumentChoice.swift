import ArgumentParser

/// A flag value from a fixed list (`--watcher auto|inotify|polling`): argument-parser
/// parses it, lists the choices in `--help` and in its error, and the config file's
/// string for the same setting is checked against the same list.
protocol ArgumentChoice: ExpressibleByArgument, CaseIterable, RawRepresentable, Sendable where RawValue == String {}

extension ArgumentChoice {
    /// `auto, inotify or polling`.
    static var choicesText: String {
        let names = allCases.map(\.rawValue)
        guard let last = names.last, names.count > 1 else { return names.joined() }
        return names.dropLast().joined(separator: ", ") + " or " + last
    }

    /// The config file's `key`, or the command's `default`.
    static func configured(_ text: String?, key: String, default value: Self) throws(CLIError) -> Self {
        guard let text else { return value }
        guard let choice = Self(rawValue: text) else {
            throw CLIError.usage("the config file's \(key) must be \(choicesText), not \"\(text)\"")
        }
        return choice
    }
}
