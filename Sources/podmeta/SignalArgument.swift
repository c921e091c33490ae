import ArgumentParser
import PodmetaProcess

/// A signal flag (`--reload-signal HUP`): a name with or without `SIG`, a number, or
/// `RTMIN+N`; SIGKILL and SIGSTOP are refused because no process can catch them.
struct SignalArgument: ExpressibleByArgument, Sendable {
    var signal: ProcessSignal

    init?(argument: String) {
        guard let signal = ProcessSignal(parsing: argument), signal.canBeCaught else { return nil }
        self.signal = signal
    }

    /// Listed by `--help` and by the error for a value that is not one of them.
    static var allValueStrings: [String] { ["HUP", "INT", "QUIT", "USR1", "USR2", "TERM", "WINCH", "RTMIN+N"] }
}
