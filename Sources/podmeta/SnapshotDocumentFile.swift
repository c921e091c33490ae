import PodmetaCore
import PodmetaIO
import PodmetaServer
import PodmetaSettings

/// A snapshot document read back from the agent: its JSON file or its socket.
struct SnapshotDocumentFile {
    var snapshot: PodSnapshot
    var revision: UInt64

    static let maxBytes = 64 << 20

    /// Reads the agent's `--output` file (exit 66 unreadable, 65 not a snapshot document).
    static func read(_ path: String) throws -> SnapshotDocumentFile {
        let bytes: [UInt8]
        do {
            bytes = try SmallFile.read(path, limit: maxBytes)
        } catch {
            throw CLIError.unreadable("cannot read \(path): \(error.message)")
        }
        return try decode(bytes, source: path)
    }

    /// Asks the agent on `socket` for the whole document (exit 66 when it cannot answer).
    static func fetch(socket: String) throws -> SnapshotDocumentFile {
        let response: UnixSocketHTTPResponse
        do {
            response = try UnixSocketHTTPClient(path: socket).request(
                "/v1/snapshot", headers: [("Accept", "application/json")])
        } catch {
            throw CLIError.unreadable("cannot reach the agent: \(error)")
        }
        guard response.status == 200 else {
            let message =
                (try? JSONParser.parse(response.body))?["error"]?.stringValue ?? "HTTP status \(response.status)"
            throw CLIError.unreadable("the agent at \(socket) cannot answer: \(message)")
        }
        return try decode(response.body, source: socket)
    }

    private static func decode(_ bytes: [UInt8], source: String) throws -> SnapshotDocumentFile {
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw CLIError.badData("\(source): \(error)")
        }
        do {
            let snapshot = try PodSnapshot(document: document)
            let revision = document["revision"]?.int64Value.map { UInt64(clamping: $0) } ?? 0
            return SnapshotDocumentFile(snapshot: snapshot, revision: revision)
        } catch {
            throw CLIError.badData("\(source): \(error)")
        }
    }
}
