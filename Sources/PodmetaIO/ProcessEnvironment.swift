import Glibc

/// The process environment, read without Foundation.
public enum ProcessEnvironment {
    /// Every `NAME=value` entry of `environ`; entries without `=` are ignored and the first
    /// of duplicate names wins, as getenv(3) does.
    public static func current() -> [String: String] {
        var result: [String: String] = [:]
        var cursor = environ
        while let entry = cursor.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") {
                let name = String(text[..<eq])
                if result[name] == nil { result[name] = String(text[text.index(after: eq)...]) }
            }
            cursor += 1
        }
        return result
    }
}
