import NIOCore
import PodmetaState
import Synchronization

/// Bodies rendered once per revision and shared by every answer of that revision, so a
/// busy client costs a buffer reference, not a rendering.
final class SnapshotRenderings: Sendable {
    private struct Cache {
        var revision: UInt64 = 0
        var bodies: [String: ByteBuffer] = [:]
    }

    private let cache = Mutex(Cache())

    /// The body `key` of `published`, rendered by `render` on first use.
    func body(_ key: String, of published: PublishedSnapshot, render: () -> [UInt8]) -> ByteBuffer {
        let cached = cache.withLock { cache -> ByteBuffer? in
            cache.revision == published.revision ? cache.bodies[key] : nil
        }
        if let cached { return cached }
        let rendered = ByteBuffer(bytes: render())
        cache.withLock { cache in
            if cache.revision < published.revision {
                cache = Cache(revision: published.revision)
            }
            if cache.revision == published.revision { cache.bodies[key] = rendered }
        }
        return rendered
    }
}
