/// What a child wrote to captured standard output and error.
public struct CapturedOutput: Sendable, Hashable {
    public var standardOutput: [UInt8]
    public var standardError: [UInt8]
    /// True when a stream wrote more than its capture limit (the excess was dropped).
    public var standardOutputTruncated: Bool
    public var standardErrorTruncated: Bool

    public init(
        standardOutput: [UInt8] = [], standardError: [UInt8] = [],
        standardOutputTruncated: Bool = false, standardErrorTruncated: Bool = false
    ) {
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.standardOutputTruncated = standardOutputTruncated
        self.standardErrorTruncated = standardErrorTruncated
    }
}
