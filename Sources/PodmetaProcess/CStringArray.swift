import Glibc

/// A NULL-terminated array of C strings (argv, envp) that frees itself.
struct CStringArray: ~Copyable {
    private(set) var pointers: [UnsafeMutablePointer<CChar>?]

    init(_ strings: [String]) {
        pointers = strings.map { strdup($0) } + [nil]
    }

    deinit {
        for pointer in pointers { free(pointer) }
    }

    /// Calls `body` with a `char *const[]` view.
    func withUnsafeArray<R>(_ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    /// `NAME=value` entries, sorted so children see a stable order.
    static func environment(_ variables: [String: String]) -> [String] {
        variables.keys.sorted().map { "\($0)=\(variables[$0]!)" }
    }

    /// The first string containing a NUL byte (C would silently truncate it), if any.
    static func firstWithNUL(_ strings: [String]) -> Int? {
        strings.firstIndex { $0.utf8.contains(0) }
    }
}
