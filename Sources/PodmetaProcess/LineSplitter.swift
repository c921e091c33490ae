/// Splits a byte stream into lines of at most `maximumLength` bytes, keeping only the
/// line in progress: the excess of a longer line is dropped until its newline.
struct LineSplitter {
    let maximumLength: Int
    private var current: [UInt8] = []
    /// The line in progress outgrew `maximumLength`: it was cut there.
    private var overflowed = false

    init(maximumLength: Int) {
        self.maximumLength = max(1, maximumLength)
    }

    /// Feeds `bytes`; calls `line` for each completed line, without its newline.
    mutating func feed(_ bytes: ArraySlice<UInt8>, line: (_ bytes: [UInt8], _ truncated: Bool) -> Void) {
        var rest = bytes
        while !rest.isEmpty {
            if let newline = rest.firstIndex(of: UInt8(ascii: "\n")) {
                append(rest[rest.startIndex..<newline])
                line(current, overflowed)
                current.removeAll(keepingCapacity: true)
                overflowed = false
                rest = rest[(newline + 1)...]
            } else {
                append(rest)
                rest = []
            }
        }
    }

    /// The stream ended: delivers a last line that had no newline.
    mutating func finish(line: (_ bytes: [UInt8], _ truncated: Bool) -> Void) {
        if !current.isEmpty || overflowed { line(current, overflowed) }
        current = []
        overflowed = false
    }

    private mutating func append(_ bytes: ArraySlice<UInt8>) {
        let room = maximumLength - current.count
        if bytes.count > room { overflowed = true }
        current.append(contentsOf: bytes.prefix(max(0, room)))
    }
}
