// Probe b: + swift-argument-parser (a parsed command, as podmeta's entry point does).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ArgumentParser

struct Probe: ParsableCommand {
    @Option(help: "A name.") var name = "probe"
    @Flag(help: "A flag.") var verbose = false

    func run() throws {
        print("ready \(name) \(verbose)")
        while true { pause() }
    }
}

Probe.main()
