import PodmetaCore

extension JSONValue {
    /// An object whose members are all strings, as a dictionary; nil otherwise.
    var stringMap: [String: String]? {
        guard let members = objectValue else { return nil }
        var map: [String: String] = [:]
        for (key, value) in members {
            guard let text = value.stringValue else { return nil }
            map[key] = text
        }
        return map
    }
}
