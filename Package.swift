// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "podmeta",
    platforms: [.macOS(.v15)],
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
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The process edge: posix_spawn children, hooks (timeouts, coalescing, quiescence),
        // and `podmeta exec` (execve in place, or tini-like supervision). Glibc only.
        .target(name: "PodmetaProcess", dependencies: [.product(name: "Logging", package: "swift-log")]),
        .executableTarget(
            name: "podmeta",
            dependencies: [
                "PodmetaCore",
                "PodmetaIO",
                "PodmetaAgent",
                "PodmetaState",
                "PodmetaServer",
                "PodmetaProcess",
                "PodmetaWebhook",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // Webhook hooks: one HTTP/1.1 request per attempt with SwiftNIO's client pipeline,
        // retried with backoff; loopback and Unix sockets unless told otherwise.
        .target(
            name: "PodmetaWebhook",
            dependencies: [
                "PodmetaCore",
                "PodmetaProcess",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "PodmetaCoreTests", dependencies: ["PodmetaCore"], exclude: ["Fixtures"]),
        .testTarget(name: "PodmetaIOTests", dependencies: ["PodmetaIO", "PodmetaCore"]),
        .testTarget(name: "PodmetaStateTests", dependencies: ["PodmetaState", "PodmetaCore"]),
        // Load generator and fixture server of bench/socket.sh (podmeta's socket vs nginx).
        .executableTarget(
            name: "PodmetaBenchSocket",
            dependencies: [
                "PodmetaServer",
                "PodmetaState",
                "PodmetaCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The parser and quantity benchmarks of bench/run.sh (issue 2); the core only.
        .executableTarget(name: "PodmetaBenchCore", dependencies: ["PodmetaCore"]),
        // The kubelet-swap driver of bench/run.sh's agent benchmarks (issue 3).
        .executableTarget(name: "PodmetaBenchAgent", dependencies: ["PodmetaCore", "PodmetaIO"]),
        .testTarget(
            name: "PodmetaServerTests",
            dependencies: [
                "PodmetaServer",
                "PodmetaState",
                "PodmetaCore",
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
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "PodmetaWebhookTests", dependencies: ["PodmetaWebhook"]),
        .testTarget(
            name: "PodmetaProcessTests",
            dependencies: ["PodmetaProcess", .product(name: "Logging", package: "swift-log")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
