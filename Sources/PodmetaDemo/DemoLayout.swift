/// Where the demo puts the volume, the agent's outputs and the hook's log.
///
/// What the user names (`--volume`, `--output-dir`, `--socket`) is used as given and never
/// removed; everything else lives in one temporary directory that ``removeTemporaryDirectory()``
/// deletes at the end.
struct DemoLayout: Sendable {
    /// The simulated downwardAPI volume root.
    var volume: String
    /// Where the agent writes its files.
    var outputDirectory: String
    /// The agent's `--socket`.
    var socket: String
    /// The temporary directory this run created, nil when the user named every location.
    var temporaryDirectory: String?

    /// The agent's `--output`.
    var jsonFile: String { outputDirectory + "/pod.json" }
    /// The agent's `--env-file`.
    var envFile: String { outputDirectory + "/pod.env" }
    /// What the example hook appends to.
    var hookLog: String { outputDirectory + "/hook.log" }

    /// The longest socket path Linux accepts (sun_path less its terminating NUL).
    static let maxSocketPathBytes = 107

    /// Marks a volume directory the demo writes to, so a later run knows it may replace
    /// it. A `..` name: readers of the volume ignore it, like the kubelet's own.
    static let marker = "..podmeta-demo"

    /// Why the demo must not write its simulated volume into `volume`, nil when it may: an
    /// existing directory must be empty or marked by an earlier demo. A `..data` link alone
    /// proves nothing (a real downwardAPI volume has one) and the simulator replaces it.
    static func refusal(volume: String) -> String? {
        let names = DemoFileSystem.list(volume)
        if names.isEmpty || names.contains(marker) { return nil }
        return
            "--volume \(volume) is not empty and not an earlier demo's volume (it has no \(marker)): give an empty or new directory"
    }

    /// Creates what is missing. A user's volume directory must be empty or hold a volume
    /// of an earlier demo: the kubelet simulator would otherwise mix its files with others.
    static func prepare(volume: String?, outputDirectory: String?, socket: String?) throws(DemoError) -> DemoLayout {
        var temporary: String?
        func temporaryDirectory() throws(DemoError) -> String {
            if let temporary { return temporary }
            let made = try DemoFileSystem.makeTemporaryDirectory(prefix: "podmeta-demo")
            temporary = made
            return made
        }
        do throws(DemoError) {
            let volumePath: String
            if let volume {
                volumePath = DemoFileSystem.absolute(volume)
                try DemoFileSystem.makeDirectories(volumePath)
                if let refusal = refusal(volume: volumePath) { throw DemoError(refusal) }
                try DemoFileSystem.truncate(volumePath + "/" + marker)
            } else {
                volumePath = try temporaryDirectory() + "/podinfo"
                try DemoFileSystem.makeDirectories(volumePath)
            }
            let outputPath: String
            if let outputDirectory {
                outputPath = DemoFileSystem.absolute(outputDirectory)
                try DemoFileSystem.makeDirectories(outputPath)
            } else {
                outputPath = try temporaryDirectory() + "/out"
                try DemoFileSystem.makeDirectories(outputPath)
            }
            let socketPath = socket.map(DemoFileSystem.absolute) ?? outputPath + "/podmeta.sock"
            if socketPath.utf8.count > maxSocketPathBytes {
                throw DemoError(
                    "the socket path \(socketPath) is longer than \(maxSocketPathBytes) bytes: choose a shorter one with --socket"
                )
            }
            return DemoLayout(
                volume: volumePath, outputDirectory: outputPath, socket: socketPath, temporaryDirectory: temporary)
        } catch {
            if let temporary { try? DemoFileSystem.removeTree(temporary) }
            throw error
        }
    }

    /// Deletes the temporary directory, if this run made one; returns its path.
    @discardableResult
    func removeTemporaryDirectory() throws(DemoError) -> String? {
        guard let temporaryDirectory else { return nil }
        try DemoFileSystem.removeTree(temporaryDirectory)
        return temporaryDirectory
    }
}
