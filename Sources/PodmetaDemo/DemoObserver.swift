import PodmetaCore
import PodmetaProcess
import PodmetaServer

/// Looks at the agent's outputs the way each kind of consumer does: reads the JSON file,
/// asks the socket, sources the env file, reads what the hook wrote.
struct DemoObserver: Sendable {
    let layout: DemoLayout

    /// The client `podmeta get` uses; short timeouts, since the demo polls.
    var client: UnixSocketHTTPClient { UnixSocketHTTPClient(path: layout.socket, timeout: .seconds(2)) }

    /// The JSON file, nil while it is missing or not a snapshot document.
    func jsonFile() -> JSONFileView? {
        guard let bytes = DemoFileSystem.read(layout.jsonFile),
            let document = try? JSONParser.parse(bytes),
            let revision = document["revision"]?.int64Value,
            let labels = document["labels"]?.stringMap ?? (document["labels"] == nil ? [:] : nil)
        else { return nil }
        // The file's own order (keys sorted), with what is left out marked.
        var labelsText = JSONRenderer(style: .pretty).string(document["labels"] ?? .object([:]))
        while labelsText.hasSuffix("\n") { labelsText.removeLast() }
        let excerpt =
            "{\n  ...\n  \"labels\": " + labelsText.replacing("\n", with: "\n  ")
            + ",\n  ...\n  \"revision\": \(revision)\n}"
        var resources: [String: [String: String]] = [:]
        for (bound, readings) in document["resources"]?.objectValue ?? [:] {
            for (name, reading) in readings.objectValue ?? [:] {
                resources[bound, default: [:]][name] = reading["quantity"]?.stringValue
            }
        }
        return JSONFileView(revision: revision, labels: labels, excerpt: excerpt, resources: resources)
    }

    /// `GET /v1/labels`, nil while nothing answers.
    func socketLabels() -> SocketLabelsView? {
        guard let response = try? client.request("/v1/labels") else { return nil }
        return SocketLabelsView(
            status: response.status, revision: response.header("X-Podmeta-Revision"), body: response.text,
            labels: response.status == 200 ? (try? JSONParser.parse(response.body))?.stringMap : nil)
    }

    /// `GET target` (e.g. `/v1/annotations/KEY?raw`): status and body, nil while nothing answers.
    func socketText(_ target: String) -> (status: Int, body: String)? {
        guard let response = try? client.request(target) else { return nil }
        return (response.status, response.text)
    }

    /// The lines of the env file that start with one of `prefixes`; nil while it is missing.
    func envFileLines(prefixes: [String]) -> [String]? {
        guard let bytes = DemoFileSystem.read(layout.envFile) else { return nil }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init).filter { line in
            prefixes.contains { line.hasPrefix($0) }
        }
    }

    /// Sources the env file in `/bin/sh` and prints `names` (`version=$POD_LABEL_VERSION`
    /// each): what a shell entrypoint that does `. pod.env` sees.
    func sourceEnvFile(printing names: [(label: String, variable: String)]) async -> (command: String, output: String)?
    {
        let echo = "echo \"" + names.map { "\($0.label)=$\($0.variable)" }.joined(separator: " ") + "\""
        let script = ". \"$1\" && " + echo
        let spec = ProcessSpec(
            command: .argv(["/bin/sh", "-c", script, "sh", layout.envFile]), environment: ["PATH": "/usr/bin:/bin"],
            standardOutput: .capture(limit: 64 << 10), standardError: .capture(limit: 64 << 10))
        guard let child = try? ProcessSpawner().spawn(spec) else { return nil }
        let (status, _) = await child.wait(timeout: .seconds(5))
        let output = await child.output()
        guard status.isSuccess else { return nil }
        var text = String(decoding: output.standardOutput, as: UTF8.self)
        while text.hasSuffix("\n") { text.removeLast() }
        return (". " + DemoShellQuoting.word(layout.envFile) + " && " + echo, text)
    }

    /// Every complete run the hook has logged so far, oldest first.
    func hookRecords() -> [HookRecord] {
        guard let bytes = DemoFileSystem.read(layout.hookLog) else { return [] }
        // Only whole lines: the hook may be writing right now.
        guard let lastNewline = bytes.lastIndex(of: UInt8(ascii: "\n")) else { return [] }
        var records: [HookRecord] = []
        var environmentLine = ""
        for line in bytes[..<lastNewline].split(separator: UInt8(ascii: "\n")) {
            guard line.first == UInt8(ascii: "{") else {
                environmentLine = String(decoding: line, as: UTF8.self)
                continue
            }
            guard let input = try? JSONParser.parse(Array(line)),
                let revision = input["revision"]?.int64Value
            else { continue }
            let changes = (input["changes"]?.arrayValue ?? []).compactMap { change -> DemoChange? in
                guard let section = change["section"]?.stringValue, let key = change["key"]?.stringValue else {
                    return nil
                }
                return DemoChange(
                    section: section, key: key, old: change["old"]?.stringValue, new: change["new"]?.stringValue)
            }
            records.append(
                HookRecord(
                    environmentLine: environmentLine, revision: revision,
                    previousRevision: input["previousRevision"]?.int64Value ?? 0, changes: changes))
        }
        return records
    }
}
