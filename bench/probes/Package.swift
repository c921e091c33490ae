// swift-tools-version: 6.0
// Dependency-cost probes for bench/run.sh (issue 3: "record what each dependency costs").
// Not part of podmeta's package: each executable is a do-nothing idle process that links
// one more of podmeta's dependencies than the previous one, so the difference of their
// idle RSS (static stdlib, release) is what that dependency costs a sidecar.
//
//   swift build -c release --static-swift-stdlib --scratch-path .build-probes
//
// a none -> b ArgumentParser -> c + swift-log + ServiceLifecycle -> d + NIOPosix/NIOHTTP1
// (one event-loop thread serving HTTP on a Unix socket) -> e + full Foundation.
// f (full Foundation alone) and g (FoundationEssentials alone) isolate Foundation;
// h is d + swift-metrics + swift-prometheus (compare with d).
import PackageDescription

let package = Package(
    name: "podmeta-probes",
    platforms: [.macOS(.v15)],
    dependencies: [
        // The same requirements as podmeta's Package.swift.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
    ],
    targets: [
        .executableTarget(name: "probe-a-none"),
        .executableTarget(
            name: "probe-b-argparser",
            dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(
            name: "probe-c-lifecycle",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .executableTarget(
            name: "probe-d-nio",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        .executableTarget(
            name: "probe-e-foundation",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        .executableTarget(
            name: "probe-h-prometheus",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]),
        .executableTarget(name: "probe-f-foundation-alone"),
        .executableTarget(name: "probe-g-essentials-alone"),
    ],
    swiftLanguageModes: [.v6]
)
