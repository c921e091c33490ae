/// One key that differs between two label or annotation maps, for display.
struct DemoChange: Sendable, Equatable {
    /// `labels` or `annotations`.
    var section: String
    var key: String
    /// nil when the key was added.
    var old: String?
    /// nil when the key was removed.
    var new: String?

    /// `labels/version`: how PODMETA_CHANGED and hook filters name it.
    var path: String { "\(section)/\(key)" }

    /// Changes from `old` to `new`, in key byte order.
    static func between(_ old: [String: String], _ new: [String: String], section: String) -> [DemoChange] {
        let keys = Set(old.keys).union(new.keys).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return keys.compactMap { key in
            let before = old[key], after = new[key]
            if let before, let after, before.utf8.elementsEqual(after.utf8) { return nil }
            return DemoChange(section: section, key: key, old: before, new: after)
        }
    }
}
