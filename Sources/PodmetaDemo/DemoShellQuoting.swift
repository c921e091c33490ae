import PodmetaCore

/// Command lines shown to people, quoted so they can be pasted into a POSIX shell.
enum DemoShellQuoting {
    /// `word` as is when it needs no quoting, else single-quoted.
    static func word(_ word: String) -> String {
        let plain =
            !word.isEmpty
            && word.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII
                    && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                        || "-_./=:@%+,".unicodeScalars.contains(scalar))
            }
        return plain ? word : ShellExportRenderer.quoted(word)
    }

    /// The words quoted and joined by spaces.
    static func line(_ words: [String]) -> String {
        words.map(word).joined(separator: " ")
    }
}
