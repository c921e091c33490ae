import ArgumentParser

/// Permission bits in octal (`--output-mode 0640`), from a flag or the config file.
struct FileModeArgument: ExplainedArgument, Equatable {
    var bits: UInt32

    init(_ bits: UInt32) {
        self.bits = bits
    }

    @Sendable static func parse(_ text: String) throws(CLIError) -> FileModeArgument {
        guard !text.isEmpty, let bits = UInt32(text, radix: 8), bits <= 0o7777 else {
            throw CLIError.usage("write permission bits in octal, such as 0644 or 0600")
        }
        return FileModeArgument(bits)
    }
}
