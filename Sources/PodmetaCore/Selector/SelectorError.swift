/// A label selector or requirement that Kubernetes would reject.
public struct SelectorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The selector text, when the error comes from parsing one.
    public var input: String?
    /// Byte offset into ``input`` of the token at fault.
    public var offset: Int?
    /// What is wrong, in apimachinery's words where it has some (`found '==', expected: ',' or
    /// 'end of string'`).
    public var reason: String

    public init(input: String? = nil, offset: Int? = nil, reason: String) {
        self.input = input
        self.offset = offset
        self.reason = reason
    }

    public var description: String {
        guard let input else { return "invalid label selector requirement: \(reason)" }
        let at = offset.map { " at byte \($0)" } ?? ""
        return "invalid label selector \"\(input)\"\(at): \(reason)"
    }
}
