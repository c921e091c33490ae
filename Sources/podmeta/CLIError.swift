/// An error the command line reports as one sentence with a chosen exit status.
struct CLIError: Error {
    var message: String
    var status: Int32

    static func usage(_ message: String) -> CLIError { CLIError(message: message, status: 2) }
    static func notFound(_ message: String) -> CLIError { CLIError(message: message, status: 3) }
    static func badData(_ message: String) -> CLIError { CLIError(message: message, status: 65) }
    static func unreadable(_ message: String) -> CLIError { CLIError(message: message, status: 66) }
    static func failure(_ message: String) -> CLIError { CLIError(message: message, status: 1) }
}
