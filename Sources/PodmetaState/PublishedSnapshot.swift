import PodmetaCore

/// A snapshot as published: its content, its revision and its rendered document.
///
/// The document is rendered once per revision and shared by every consumer (the JSON file,
/// socket answers, the watch stream), so serving it costs no encoding.
package struct PublishedSnapshot: Sendable {
    /// Increases by one on every change of content, starting at 1.
    package let revision: UInt64
    package let snapshot: PodSnapshot
    /// The whole document, pretty-printed, as written to the JSON file.
    package let document: [UInt8]
    /// When this revision was published (seconds since the epoch), for metrics.
    package let publishedAt: Double
    /// The content without the revision, byte for byte: what decides whether a read
    /// changed anything. Bytes, not `PodSnapshot` equality, because Swift compares strings
    /// by canonical equivalence, and an annotation rewritten from NFC to NFD is a change
    /// for every reader of the file.
    let contentKey: [UInt8]

    package init(revision: UInt64, snapshot: PodSnapshot, publishedAt: Double) {
        self.init(
            revision: revision, snapshot: snapshot, publishedAt: publishedAt,
            contentKey: PublishedSnapshot.contentKey(of: snapshot))
    }

    /// With the content key the store already rendered to compare.
    init(revision: UInt64, snapshot: PodSnapshot, publishedAt: Double, contentKey: [UInt8]) {
        self.revision = revision
        self.snapshot = snapshot
        self.document = JSONRenderer(style: .pretty).render(snapshot.document(revision: revision))
        self.publishedAt = publishedAt
        self.contentKey = contentKey
    }

    static func contentKey(of snapshot: PodSnapshot) -> [UInt8] {
        JSONRenderer(style: .compact).render(snapshot.document(revision: 0))
    }
}
