/// A label or annotation filter pattern that cannot be meant.
public struct MetadataFilterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The option or config key without its dashes: `include-annotation`.
    public var option: String

    public init(option: String) {
        self.option = option
    }

    public var description: String {
        "--\(option) '' matches no key: give a pattern such as 'example.com/*', or '*' for every key"
    }
}
