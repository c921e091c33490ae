/// A setting from a fixed list (`--watcher auto|inotify|polling`, the config file's
/// `"watcher"`): the command line parses the flag (its `ArgumentChoice` lists the choices
/// in `--help` and in its error), and the config file's string for the same setting is
/// checked against the same list here.
package protocol SettingChoice: CaseIterable, RawRepresentable, Sendable where RawValue == String {}

extension SettingChoice {
    /// `auto, inotify or polling`.
    package static var choicesText: String {
        let names = allCases.map(\.rawValue)
        guard let last = names.last, names.count > 1 else { return names.joined() }
        return names.dropLast().joined(separator: ", ") + " or " + last
    }

    /// The config file's `key`, or the command's `default`.
    package static func configured(_ text: String?, key: String, default value: Self) throws(CLIError) -> Self {
        guard let text else { return value }
        guard let choice = Self(rawValue: text) else {
            throw CLIError.usage("the config file's \(key) must be \(choicesText), not \"\(text)\"")
        }
        return choice
    }
}
