import PodmetaCore

/// The kubelet's `fieldpath.FormatMap`: how `metadata.labels` and `metadata.annotations`
/// files are written (the inverse of PodmetaCore's `KubeletMapFile.parse`).
///
/// Keys sorted bytewise (Go's sort.Strings), one `key="value"` line each with the value
/// quoted by Go's `strconv.Quote` (`%q`), joined by `\n`, no trailing newline; an empty map
/// is an empty file.
public enum KubeletMapFormat {
    /// Formats `map`. `quote` is Go's strconv.Quote over the value's bytes: by default
    /// `GoStringLiteral.quote` (Go 1.19's printability tables); tests may inject another to
    /// imitate a kubelet built with a different Go release.
    public static func format(_ map: [String: String], quote: ([UInt8]) -> String = GoStringLiteral.quote) -> [UInt8] {
        let keys = map.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        var out: [UInt8] = []
        for key in keys {
            if !out.isEmpty { out.append(UInt8(ascii: "\n")) }
            out.append(contentsOf: key.utf8)
            out.append(UInt8(ascii: "="))
            out.append(contentsOf: quote(Array(map[key]!.utf8)).utf8)
        }
        return out
    }
}
