/// One label or annotation that differs between two snapshots.
public struct MetadataChange: Sendable, Hashable, CustomStringConvertible {
    /// The map a change is in. Labels sort before annotations, as hooks list them.
    public enum Section: String, Sendable, Hashable, CaseIterable, Comparable {
        case labels
        case annotations

        public static func < (lhs: Section, rhs: Section) -> Bool {
            lhs.order < rhs.order
        }

        private var order: Int { self == .labels ? 0 : 1 }
    }

    public var section: Section
    /// The original Kubernetes key.
    public var key: String
    /// The value before; nil when the key was added.
    public var old: String?
    /// The value after; nil when the key was removed.
    public var new: String?

    public init(section: Section, key: String, old: String?, new: String?) {
        self.section = section
        self.key = key
        self.old = old
        self.new = new
    }

    /// `labels/version`, `annotations/example.com/x`: how `PODMETA_CHANGED` and `on:` filters
    /// name a change.
    public var path: String { "\(section.rawValue)/\(key)" }

    /// `{"section": ..., "key": ..., "old": ..., "new": ...}` without absent sides.
    public var jsonValue: JSONValue {
        var members: [String: JSONValue] = ["section": .string(section.rawValue), "key": .string(key)]
        if let old { members["old"] = .string(old) }
        if let new { members["new"] = .string(new) }
        return .object(members)
    }

    public var description: String {
        switch (old, new) {
        case (nil, _): "\(path) added"
        case (_, nil): "\(path) removed"
        default: "\(path) changed"
        }
    }

    /// Section order, then key byte order.
    static func precedes(_ a: MetadataChange, _ b: MetadataChange) -> Bool {
        if a.section != b.section { return a.section < b.section }
        return a.key.utf8.lexicographicallyPrecedes(b.key.utf8)
    }
}
