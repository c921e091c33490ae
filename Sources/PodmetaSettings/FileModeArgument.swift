/// Permission bits in octal (`--output-mode 0640`), from a flag or the config file.
package struct FileModeArgument: Sendable, Equatable {
    package var bits: UInt32

    package init(_ bits: UInt32) {
        self.bits = bits
    }

    @Sendable package static func parse(_ text: String) throws(CLIError) -> FileModeArgument {
        guard !text.isEmpty, let bits = UInt32(text, radix: 8), bits <= 0o7777 else {
            throw CLIError.usage("write permission bits in octal, such as 0644 or 0600")
        }
        return FileModeArgument(bits)
    }
}
