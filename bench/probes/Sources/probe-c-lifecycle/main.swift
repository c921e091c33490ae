// Probe c: + swift-log + swift-service-lifecycle: an async command running a ServiceGroup
// with one service that waits for SIGTERM, as `podmeta agent` does.
import ArgumentParser
import Logging
import ServiceLifecycle

struct IdleService: Service {
    func run() async throws {
        try? await gracefulShutdown()
    }
}

@main
struct Probe: AsyncParsableCommand {
    @Option(help: "A name.") var name = "probe"

    func run() async throws {
        let logger = Logger(label: "probe")
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: IdleService())], gracefulShutdownSignals: [.sigterm], logger: logger))
        print("ready \(name)")
        try await group.run()
    }
}
