// Probe g: FoundationEssentials and nothing else (JSONEncoder, Date, ProcessInfo touched once),
// what the core may use per the conventions.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import FoundationEssentials

struct Document: Codable {
    var labels: [String: String]
    var at: Date
}

let encoded = try JSONEncoder().encode(Document(labels: ProcessInfo.processInfo.environment, at: Date()))
print("ready \(encoded.count) bytes")
while true { pause() }
