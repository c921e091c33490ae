import PodmetaSystem
/// The paths an agent is about to write, checked together before it starts: each output
/// owns its destination, no output writes into the watched volume, replaces a device,
/// FIFO, socket or directory, or overwrites a template it reads.
///
/// Two paths are the same destination when they land on the same directory entry: the
/// path made absolute and clean, with its existing directories resolved through their
/// symlinks (`/run/podmeta/../podmeta/pod.json` and `/var/run/podmeta/pod.json` with
/// `/var/run -> /run` are one file). The last component is not resolved: a symlink at the
/// destination is replaced, not followed.
package struct OutputPathPlan: Sendable {
    /// What a path is used for.
    package enum Role: Sendable, Equatable {
        /// A file the agent replaces atomically (JSON, env file, a template's destination).
        case file
        /// The Unix socket the agent binds.
        case socket
        /// A template the agent reads.
        case templateSource
    }

    /// A path and the flag (or config key) that named it, for messages.
    package struct Entry: Sendable, Equatable {
        package var flag: String
        package var path: String
        package var role: Role

        package init(flag: String, path: String, role: Role) {
            self.flag = flag
            self.path = path
            self.role = role
        }
    }

    package var entries: [Entry]
    /// The watched volume, nil when reading the environment only.
    package var volume: String?

    package init(entries: [Entry], volume: String?) {
        self.entries = entries
        self.volume = volume
    }

    /// The first problem, as one sentence with the remedy; nil when the plan is sound.
    package func problem() -> String? {
        let written = entries.filter { $0.role != .templateSource }
        let locations = written.map { OutputPathPlan.location(of: $0.path) }
        if let volume {
            let root = Posix.realPath(volume) ?? OutputPathPlan.location(of: volume)
            for (entry, location) in zip(written, locations) where PathNames.isInside(location, root: root) {
                return
                    "\(entry.flag) \(entry.path) is inside the watched volume \(volume), which belongs to the kubelet: write it elsewhere, such as /run/podmeta"
            }
        }
        for entry in written where entry.role == .file {
            if let kind = try? FileKind.at(entry.path), !kind.isReplaceableByOutput {
                return
                    "\(entry.flag) \(entry.path) is \(kind), not a regular file: podmeta only replaces regular files; give the path of a file"
            }
        }
        for first in written.indices {
            for second in written.indices where second > first && locations[first] == locations[second] {
                return
                    "\(written[first].flag) and \(written[second].flag) both name \(written[second].path): give each output a path of its own"
            }
        }
        for source in entries where source.role == .templateSource {
            // Its directory entry, and the file it leads to when it is a symlink.
            let names = Set([OutputPathPlan.location(of: source.path), Posix.realPath(source.path)].compactMap { $0 })
            if let index = locations.firstIndex(where: names.contains) {
                return
                    "\(written[index].flag) \(written[index].path) would overwrite the template \(source.path), which is read on every change: write the result to another path"
            }
        }
        return nil
    }

    /// Where a write to `path` lands: absolute and clean, the longest existing directory
    /// prefix resolved through symlinks, the last component kept as it is.
    package static func location(of path: String) -> String {
        let absolute = PathNames.absolute(path)
        guard absolute != "/" else { return absolute }
        var directory = PathNames.directory(of: absolute)
        var rest = [PathNames.base(of: absolute)]
        while true {
            if let resolved = Posix.realPath(directory) {
                return PathNames.clean(([resolved] + rest.reversed()).joined(separator: "/"))
            }
            if directory == "/" { return absolute }
            rest.append(PathNames.base(of: directory))
            directory = PathNames.directory(of: directory)
        }
    }
}
