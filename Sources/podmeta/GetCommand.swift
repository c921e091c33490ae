import ArgumentParser
import Glibc
import PodmetaCore
import PodmetaServer
import PodmetaSettings
import PodmetaSystem

/// `podmeta get`: one section of the snapshot, or one value, from the agent's socket or
/// from its JSON file.
///
/// A one-shot command: it talks to the socket with a blocking client and never starts an
/// event loop.
struct GetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Print a section of the snapshot, or one value of it, from the agent's socket or file.",
        discussion: """
            SECTION is pod, labels, annotations, resources, env, or snapshot (the whole \
            document). Without KEY the section is printed as JSON; with KEY the value is \
            printed raw (strings as they are, lists one item a line, anything else as JSON), \
            or as {"key": ..., "value": ...} with --json.

            Exit status: 0 found, 3 the key is absent, 66 neither the socket nor the file \
            can be read (a socket whose --allow-uid leaves this user out included), 65 the \
            file is not a snapshot document, 2 a usage error.

            Examples:
              podmeta get labels app.kubernetes.io/name
              podmeta get --file /run/podmeta/pod.json annotations
              podmeta get --fallback-file /run/podmeta/pod.json pod name
              VERSION=$(podmeta get labels version) || exit
            """
    )

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The agent's socket (env PODMETA_SOCKET; default \(GetCommand.defaultSocket)).", valueName: "path"))
    var socket: String?

    @Option(name: .long, help: ArgumentHelp("Read this snapshot document instead of the socket.", valueName: "file"))
    var file: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "When the socket cannot answer, read this snapshot document instead (with a warning).",
            valueName: "file"))
    var fallbackFile: String?

    @Flag(name: .long, help: "Print a single key as {\"key\": ..., \"value\": ...}.")
    var json = false

    @Option(
        name: .long, help: ArgumentHelp("How long to wait for the agent's answer (default 5s).", valueName: "duration"),
        transform: DurationArgument.parse)
    var timeout = DurationArgument(.seconds(5))

    @Argument(help: ArgumentHelp("The section to print (snapshot: the whole document).", valueName: "section"))
    var section: GetSection

    @Argument(
        help: ArgumentHelp("A key of the section: label or annotation key, pod field, variable name.", valueName: "key")
    )
    var key: String?

    static let defaultSocket = "/run/podmeta/podmeta.sock"

    func validate() throws {
        if socket != nil && file != nil { throw ValidationError("--socket and --file exclude each other.") }
        if file != nil && fallbackFile != nil {
            throw ValidationError("--fallback-file applies to the socket; use --file alone.")
        }
        if section == .snapshot && key != nil {
            throw ValidationError("the snapshot section takes no key: give a section such as labels, or no key.")
        }
        if timeout.duration == .zero { throw ValidationError("--timeout must be longer than 0, such as 2s.") }
    }

    /// The socket path: the flag, then PODMETA_SOCKET, then the default.
    static func socketPath(_ flag: String?) -> String {
        if let flag { return flag }
        if let value = getenv("PODMETA_SOCKET").map({ String(cString: $0) }), !value.isEmpty { return value }
        return defaultSocket
    }

    func run() throws {
        if let file {
            try printAnswer(try SnapshotDocumentFile.read(file))
            return
        }
        let path = GetCommand.socketPath(socket)
        do {
            try runAgainstSocket(path)
        } catch let unreachable as AgentUnavailable {
            guard let fallbackFile else { throw CLIError.unreadable(unreachable.message) }
            StandardError.warn("\(unreachable.message); reading \(fallbackFile) instead")
            try printAnswer(try SnapshotDocumentFile.read(fallbackFile))
        }
    }

    /// The socket could not give an answer (unreachable, timed out, no snapshot yet): the
    /// case `--fallback-file` covers.
    private struct AgentUnavailable: Error {
        var message: String
    }

    private func runAgainstSocket(_ path: String) throws {
        let client = UnixSocketHTTPClient(path: path, timeout: timeout.duration)
        let target: String
        if let key, section.servesSingleKeys {
            target = "/v1/\(section.rawValue)/\(GetCommand.percentEncoded(key))"
        } else {
            target = "/v1/\(section.rawValue)"
        }
        let response: UnixSocketHTTPResponse
        do {
            response = try client.request(target, headers: [("Accept", "application/json")])
        } catch {
            throw AgentUnavailable(message: "cannot reach the agent: \(error)")
        }
        let message = (try? JSONParser.parse(response.body))?["error"]?.stringValue ?? "HTTP status \(response.status)"
        switch response.status {
        case 200: break
        case 404 where key != nil: throw CLIError.notFound(message)
        // --allow-uid does not list this user: the socket cannot be read, like a missing one.
        case 403: throw AgentUnavailable(message: "the agent at \(path) refuses this user: \(message)")
        case 500...599: throw AgentUnavailable(message: "the agent at \(path) cannot answer: \(message)")
        default: throw CLIError.failure("the agent at \(path) answered \(response.status): \(message)")
        }
        guard let key else {
            StandardOutput.write(response.body)
            return
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(response.body)
        } catch {
            throw CLIError.failure("the agent at \(path) answered with invalid JSON: \(error)")
        }
        if section.servesSingleKeys {
            try printValue(value["value"], key: key)
        } else {
            try printValue(value[key], key: key)
        }
    }

    /// Prints from a document read from a file.
    private func printAnswer(_ document: SnapshotDocumentFile) throws {
        if section == .snapshot {
            StandardOutput.write(
                JSONRenderer(style: .pretty).render(document.snapshot.document(revision: document.revision)))
            return
        }
        let sectionValue = document.snapshot.section(section.rawValue) ?? .object([:])
        guard let key else {
            StandardOutput.write(JSONRenderer(style: .pretty).render(sectionValue))
            return
        }
        try printValue(sectionValue[key], key: key)
    }

    private func printValue(_ value: JSONValue?, key: String) throws {
        guard let value else {
            throw CLIError.notFound("\(section.keyNoun) \"\(key)\" not found")
        }
        if json {
            StandardOutput.write(JSONRenderer(style: .pretty).render(.object(["key": .string(key), "value": value])))
            return
        }
        if let text = value.stringValue {
            StandardOutput.write(text + "\n")
        } else if let items = value.arrayValue, case let strings = items.compactMap(\.stringValue),
            strings.count == items.count
        {
            StandardOutput.write(strings.map { $0 + "\n" }.joined())
        } else {
            StandardOutput.write(JSONRenderer(style: .pretty).render(value))
        }
    }

    /// Every byte outside RFC 3986's unreserved set is escaped, `/` included: the server
    /// decodes the path before splitting off the key.
    static func percentEncoded(_ key: String) -> String {
        var out = ""
        for byte in key.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
            }
        }
        return out
    }
}
