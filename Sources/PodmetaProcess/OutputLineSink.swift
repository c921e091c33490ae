/// Receives a child's output one line at a time, so that it can be logged as records of
/// its own instead of raw bytes interleaved with the agent's log.
///
/// A line is at most `maximumLineLength` bytes: the rest of a longer line is read and
/// dropped (the line is delivered with `truncated` set), so a child printing megabytes
/// without a newline costs that many bytes of memory, not more. A last line without a
/// newline is delivered when the stream ends. `deliver` runs on the child's I/O helper
/// thread, in order; it must not block for long.
///
/// Two sinks are equal only when they are the same object (a closure has no equality).
public final class OutputLineSink: Sendable, Hashable {
    public let maximumLineLength: Int
    private let deliver: @Sendable (_ line: [UInt8], _ truncated: Bool) -> Void

    public init(
        maximumLineLength: Int = 4096, deliver: @escaping @Sendable (_ line: [UInt8], _ truncated: Bool) -> Void
    ) {
        self.maximumLineLength = max(1, maximumLineLength)
        self.deliver = deliver
    }

    func emit(_ line: [UInt8], truncated: Bool) { deliver(line, truncated) }

    public static func == (lhs: OutputLineSink, rhs: OutputLineSink) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
