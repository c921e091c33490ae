/// An error a command reports: its description is one sentence that says what is wrong and
/// what to do, printed after `podmeta: `; ``exitStatus`` is what the process exits with.
///
/// Every error type that can reach the top of a command conforms (ours directly, the
/// libraries' in `CommandLineError+Libraries.swift`), so the executable's `Entry` needs no
/// list of types.
package protocol CommandLineError: Error, CustomStringConvertible {
    var exitStatus: CommandExitStatus { get }
}
