import Glibc

/// The repository's Markdown files as the tests that keep the documentation honest read
/// them: found from this file's path, so no Package.swift resource declaration is needed.
enum RepositoryDocuments {
    /// The package root (Tests/PodmetaStateTests/<file>.swift, three levels up).
    static let root: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
        return path
    }()

    /// The user reference: README.md and every page of docs/, as paths relative to the root.
    static var reference: [String] {
        ["README.md"] + markdownFiles(in: "docs").map { "docs/" + $0 }
    }

    /// The other documents that link into the reference.
    static let linking = ["ARCHITECTURE.md", "CHANGELOG.md", "BENCHMARKS.md", "examples/README.md"]

    /// The text of a file relative to the root, nil when it cannot be read.
    static func text(_ relative: String) -> String? {
        guard let file = fopen(root + "/" + relative, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether a path relative to the root names a file or directory.
    static func exists(_ relative: String) -> Bool {
        access(root + "/" + relative, F_OK) == 0
    }

    /// The `.md` files directly in a directory relative to the root, sorted.
    static func markdownFiles(in directory: String) -> [String] {
        guard let stream = opendir(root + "/" + directory) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasSuffix(".md") { names.append(name) }
        }
        return names.sorted()
    }
}
