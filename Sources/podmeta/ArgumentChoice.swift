import ArgumentParser
import PodmetaSettings

/// A flag value from a fixed list (`--watcher auto|inotify|polling`): argument-parser
/// parses it and lists the choices in `--help` and in its error; as a ``SettingChoice``
/// the config file's string for the same setting is checked against the same list.
protocol ArgumentChoice: ExpressibleByArgument, SettingChoice {}

extension WatcherChoice: ArgumentChoice {}
extension EnvFileFormatChoice: ArgumentChoice {}
extension LogLevelChoice: ArgumentChoice {}
extension LogFormatChoice: ArgumentChoice {}
