import Glibc
import PodmetaCore
import PodmetaServer
import PodmetaSettings
import PodmetaSystem

/// What one `podmeta get` asks for, and doing it: kept apart from ``GetCommand`` (the
/// argument-parser declaration) so that ``GetFastPath`` can run the same code without
/// argument-parser's reflection.
struct GetRequest {
    var socket: String?
    var file: String?
    var fallbackFile: String?
    var json: Bool
    var timeout: Duration
    var section: GetSection
    var key: String?

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
        let client = UnixSocketHTTPClient(path: path, timeout: timeout)
        let target: String
        if let key, section.servesSingleKeys {
            target = "/v1/\(section.rawValue)/\(GetRequest.percentEncoded(key))"
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
