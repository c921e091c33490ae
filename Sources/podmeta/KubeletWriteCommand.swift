import ArgumentParser
import PodmetaIO
import PodmetaSettings

/// `podmeta kubelet-write` (hidden): publishes one generation of a downwardAPI volume the
/// way the kubelet does, for tests that run the agent outside a cluster, such as the pod
/// test (scripts/image/pod-test.sh), which mounts the volume into a container and changes
/// it while the agent runs.
struct KubeletWriteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubelet-write",
        abstract: "Write a downwardAPI volume as the kubelet does (for tests).",
        discussion: """
            Publishes the complete contents of a downwardAPI volume in DIR with the \
            kubelet's atomic writer: a new timestamped generation directory, the ..data \
            symlink swapped by a rename, the top-level symlinks, the old generation \
            removed. Items left out of a call are dropped from the volume, as when the \
            kubelet stops projecting them. The labels and annotations files are always \
            written, in the kubelet's key="value" format (empty when none are given).

            Prints the new generation's name, or nothing when the contents did not change \
            (the kubelet writes nothing then either).

            Examples:
              mkdir -p /tmp/podinfo
              podmeta kubelet-write --volume /tmp/podinfo --label app=web --label version=2 \\
                  --annotation owner=team-web --item name=web-0 --item cpu_limit=500
            """,
        shouldDisplay: false
    )

    @Option(name: .long, help: ArgumentHelp("The volume's directory; it must exist.", valueName: "dir"))
    var volume: String

    @Option(name: .long, help: ArgumentHelp("A label (repeatable).", valueName: "key=value"))
    var label: [String] = []

    @Option(name: .long, help: ArgumentHelp("An annotation (repeatable).", valueName: "key=value"))
    var annotation: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Another item and its exact content, e.g. name=web-0 (repeatable).", valueName: "path=content"))
    var item: [String] = []

    func run() throws {
        var payload: [String: [UInt8]] = [
            "labels": KubeletMapFormat.format(try Self.map(label, option: "--label")),
            "annotations": KubeletMapFormat.format(try Self.map(annotation, option: "--annotation")),
        ]
        for (path, content) in try Self.pairs(item, option: "--item") { payload[path] = Array(content.utf8) }
        do {
            if let generation = try KubeletVolumeWriter(root: volume).write(payload) { print(generation) }
        } catch {
            throw CLIError.failure("cannot write the volume \(volume): \(error)")
        }
    }

    private static func map(_ values: [String], option: String) throws -> [String: String] {
        var map: [String: String] = [:]
        for (key, value) in try pairs(values, option: option) { map[key] = value }
        return map
    }

    /// Splits each `key=value` at its first `=`.
    private static func pairs(_ values: [String], option: String) throws -> [(String, String)] {
        try values.map { text in
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw CLIError.usage("\(option) \(text) is not key=value.")
            }
            return (String(text[..<equals]), String(text[text.index(after: equals)...]))
        }
    }
}
