/// The kubelet's `metadata.labels` / `metadata.annotations` files.
enum FuzzMapFile {
    static func run(_ bytes: [UInt8]) {
        let lenient: KubeletMapFile
        do {
            lenient = try KubeletMapFile.parse(bytes, path: "fuzz", strict: false)
        } catch {
            fatalError("lenient parsing threw \(error) for \(bytes)")
        }
        // Strict mode refuses what lenient mode skips, and agrees with it otherwise.
        if let strict = try? KubeletMapFile.parse(bytes, path: "fuzz", strict: true) {
            fuzzCheck(strict.entries == lenient.entries, "strict and lenient parses differ for \(bytes)")
        }
        // What the kubelet would write for the parsed map parses back to the same map, with
        // no warning: the formatter and the parser are inverses.
        let written = KubeletMapFormat.format(lenient.entries)
        guard let reread = try? KubeletMapFile.parse(written, path: "fuzz", strict: true) else {
            fatalError("the formatted map does not parse strictly: \(written)")
        }
        fuzzCheck(reread.entries == lenient.entries, "parse(format(map)) != map for \(bytes)")
        fuzzCheck(reread.warnings.isEmpty, "the formatted map parses with warnings \(reread.warnings)")
    }
}
