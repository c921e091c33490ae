// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "podmeta",
    products: [
        .executable(name: "podmeta", targets: ["podmeta"]),
        .library(name: "PodmetaCore", targets: ["PodmetaCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
    ],
    targets: [
        // Pure core: parsing, quantities, the snapshot model, rendering. No I/O.
        .target(name: "PodmetaCore"),
        // The one platform layer (Linux, glibc): errno values and their text, file syscall
        // wrappers, threads for blocking calls, durations as timespec, UTC timestamps.
        .target(name: "PodmetaSystem"),
        // libinotifytools has no pkg-config file: a shim header and an explicit link.
        .systemLibrary(
            name: "CInotifyTools",
            providers: [.apt(["libinotifytools0-dev"])]
        ),
        // The file-system edge: consistent volume reads, watchers, atomic writes.
        .target(
            name: "PodmetaIO",
            dependencies: [
                "PodmetaCore",
                "PodmetaSystem",
                "CInotifyTools",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What the agent and the socket server share: the snapshot store (revisions,
        // waiters), health and the metrics registry. No file, socket or process I/O.
        .target(name: "PodmetaState", dependencies: ["PodmetaCore"]),
        // The long-running agent: the publishing loop, outputs and hooks.
        .target(
            name: "PodmetaAgent",
            dependencies: [
                "PodmetaCore",
                "PodmetaState",
                "PodmetaIO",
                "PodmetaProcess",
                "PodmetaSystem",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The local query endpoint: HTTP/1.1 on a Unix socket (SwiftNIO, one event-loop
        // thread), and the blocking client the one-shot commands use without starting NIO.
        .target(
            name: "PodmetaServer",
            dependencies: [
                "PodmetaCore",
                "PodmetaState",
                "PodmetaSystem",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The process edge: posix_spawn children, hooks (timeouts, coalescing, quiescence),
        // and `podmeta exec` (execve in place, or tini-like supervision). Glibc only.
        .target(
            name: "PodmetaProcess",
            dependencies: ["PodmetaSystem", .product(name: "Logging", package: "swift-log")]
        ),
        // `podmeta demo`: a simulated kubelet volume, the agent as a child process, and a
        // check of what each consumer sees after each change.
        .target(
            name: "PodmetaDemo",
            dependencies: [
                "PodmetaCore",
                "PodmetaSystem",
                "PodmetaIO",
                "PodmetaProcess",
                "PodmetaServer",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The agent's settings: flags, config file and environment resolved into what the
        // agent runs (flags > config file > defaults), the typed values flags and config keys
        // share, and every error's exit status. No ArgumentParser: the executable declares
        // the flags and hands their values over.
        .target(
            name: "PodmetaSettings",
            dependencies: [
                "PodmetaCore",
                "PodmetaIO",
                "PodmetaProcess",
                "PodmetaAgent",
                "PodmetaServer",
                "PodmetaWebhook",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "podmeta",
            dependencies: [
                "PodmetaSettings",
                "PodmetaCore",
                "PodmetaIO",
                "PodmetaAgent",
                "PodmetaState",
                "PodmetaServer",
                "PodmetaProcess",
                "PodmetaWebhook",
                "PodmetaDemo",
                "PodmetaExecutor",
                "PodmetaSystem",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // Swift concurrency's global executor on one SwiftNIO event loop, for the long-running
        // commands: idle, it sleeps without a timer (libdispatch's pool wakes every second).
        .target(
            name: "PodmetaExecutor",
            dependencies: [
                "CConcurrencyHooks",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // The Swift runtime's global-enqueue hook, reached at link time (a static-stdlib
        // binary does not export it to dlsym).
        .target(name: "CConcurrencyHooks"),
        // Webhook hooks: one HTTP/1.1 request per attempt with SwiftNIO's client pipeline,
        // retried with backoff; loopback and Unix sockets unless told otherwise.
        .target(
            name: "PodmetaWebhook",
            dependencies: [
                "PodmetaCore",
                "PodmetaProcess",
                "PodmetaSystem",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // The benchmark drivers of bench/run.sh (not shipped). Their sources live under bench/;
        // they stay targets of this package because they use podmeta's `package` API, which a
        // separate package cannot see.
        .target(name: "PodmetaBenchSupport", path: "bench/Sources/PodmetaBenchSupport"),
        .executableTarget(
            name: "PodmetaBenchCore", dependencies: ["PodmetaBenchSupport", "PodmetaCore"],
            path: "bench/Sources/PodmetaBenchCore"),
        .executableTarget(
            name: "PodmetaBenchAgent",
            dependencies: ["PodmetaBenchSupport", "PodmetaCore", "PodmetaIO"],
            path: "bench/Sources/PodmetaBenchAgent"
        ),
        .executableTarget(
            name: "PodmetaBenchSocket",
            dependencies: [
                "PodmetaBenchSupport",
                "PodmetaServer",
                "PodmetaState",
                "PodmetaCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "bench/Sources/PodmetaBenchSocket"
        ),
        // What the test targets share: temporary directories, file helpers, bounded waiting,
        // log capture, tmpfs mounts. Not shipped.
        .target(
            name: "PodmetaTestSupport",
            dependencies: ["PodmetaSystem", .product(name: "Logging", package: "swift-log")],
            path: "Tests/PodmetaTestSupport"
        ),
        .testTarget(name: "PodmetaCoreTests", dependencies: ["PodmetaCore"], exclude: ["Fixtures"]),
        .testTarget(name: "PodmetaStateTests", dependencies: ["PodmetaState", "PodmetaCore"]),
        .testTarget(
            name: "PodmetaIOTests",
            dependencies: [
                "PodmetaIO", "PodmetaCore", "PodmetaSystem", "PodmetaTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "PodmetaServerTests",
            dependencies: [
                "PodmetaServer",
                "PodmetaState",
                "PodmetaCore",
                "PodmetaSystem",
                "PodmetaTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "PodmetaAgentTests",
            dependencies: [
                "PodmetaAgent", "PodmetaState", "PodmetaIO", "PodmetaCore", "PodmetaProcess", "PodmetaServer",
                "PodmetaSystem", "PodmetaTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "PodmetaWebhookTests", dependencies: ["PodmetaWebhook"]),
        .testTarget(
            name: "PodmetaSettingsTests",
            dependencies: [
                "PodmetaSettings", "PodmetaCore", "PodmetaIO", "PodmetaProcess", "PodmetaAgent", "PodmetaServer",
                "PodmetaWebhook",
                "PodmetaTestSupport",
            ]
        ),
        .testTarget(
            name: "PodmetaExecutorTests",
            dependencies: ["PodmetaExecutor", "PodmetaSystem", .product(name: "NIOPosix", package: "swift-nio")]
        ),
        .testTarget(
            name: "PodmetaProcessTests",
            dependencies: [
                "PodmetaProcess", "PodmetaSystem", "PodmetaTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
