/// An error the command line reports as one sentence with a chosen exit status.
package struct CLIError: CommandLineError {
    package var message: String
    package var exitStatus: CommandExitStatus

    package init(_ message: String, status: CommandExitStatus) {
        self.message = message
        self.exitStatus = status
    }

    package var description: String { message }

    package static func usage(_ message: String) -> CLIError { CLIError(message, status: .usage) }
    package static func notFound(_ message: String) -> CLIError { CLIError(message, status: .notFound) }
    package static func badData(_ message: String) -> CLIError { CLIError(message, status: .dataError) }
    package static func unreadable(_ message: String) -> CLIError { CLIError(message, status: .cannotRead) }
    package static func failure(_ message: String) -> CLIError { CLIError(message, status: .failure) }
}
