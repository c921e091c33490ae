import ArgumentParser
import PodmetaCore

/// Formats `podmeta snapshot` can print.
enum SnapshotFormat: String, ExpressibleByArgument, CaseIterable {
    case json

    func render(_ snapshot: PodSnapshot, revision: UInt64) throws -> [UInt8] {
        switch self {
        case .json: JSONRenderer(style: .pretty).render(snapshot.document(revision: revision))
        }
    }
}
