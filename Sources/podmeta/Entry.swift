import ArgumentParser
import PodmetaCore
import PodmetaIO

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Runs the command line and maps every error to the exit status of the contract:
/// 2 usage, 3 not found, 65 bad data, 66 unreadable source, 1 anything else.
@main
enum Entry {
    static func main() async {
        let status: Int32
        do {
            var command = try Podmeta.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            status = 0
        } catch let error as CLIError {
            StandardError.write("podmeta: \(error.message)")
            status = error.status
        } catch {
            status = exitStatus(for: error)
        }
        exit(status)
    }

    static func exitStatus(for error: any Error) -> Int32 {
        switch error {
        case let error as SourceDataError: return report(error, 65)
        case let error as ItemSpecError: return report(error, 2)
        case let error as VolumeReadError: return report(error, 66)
        case let error as QuantityError: return report(error, 65)
        default:
            let code = Podmeta.exitCode(for: error)
            if code == .success {
                // --help, --version: print what ArgumentParser prepared, to stdout.
                print(Podmeta.fullMessage(for: error))
                return 0
            }
            StandardError.write(Podmeta.fullMessage(for: error))
            // ArgumentParser uses EX_USAGE (64) for usage errors; the contract says 2.
            return code == .validationFailure ? 2 : code.rawValue
        }
    }

    private static func report(_ error: any Error, _ status: Int32) -> Int32 {
        StandardError.write("podmeta: \(error)")
        return status
    }
}
