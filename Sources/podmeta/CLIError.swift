/// An error the command line reports as one sentence with a chosen exit status.
struct CLIError: CommandLineError {
    var message: String
    var exitStatus: CommandExitStatus

    init(_ message: String, status: CommandExitStatus) {
        self.message = message
        self.exitStatus = status
    }

    var description: String { message }

    static func usage(_ message: String) -> CLIError { CLIError(message, status: .usage) }
    static func notFound(_ message: String) -> CLIError { CLIError(message, status: .notFound) }
    static func badData(_ message: String) -> CLIError { CLIError(message, status: .dataError) }
    static func unreadable(_ message: String) -> CLIError { CLIError(message, status: .cannotRead) }
    static func failure(_ message: String) -> CLIError { CLIError(message, status: .failure) }
}
