// Probe f: full Foundation and nothing else, touched as in probe e (String(format:),
// DateFormatter, JSONEncoder).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation

struct Document: Codable {
    var labels: [String: String]
    var at: Date
}

let encoded = try JSONEncoder().encode(Document(labels: ProcessInfo.processInfo.environment, at: Date()))
let formatter = DateFormatter()
formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
print("ready \(encoded.count) bytes \(String(format: "%.1f", 1.5)) \(formatter.string(from: Date()))")
while true { pause() }
