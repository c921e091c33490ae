// swift-tools-version: 6.0
// podmeta's benchmark drivers (bench/run.sh, `make bench`). A package of their own so that
// nothing here is built, resolved or shipped with podmeta itself: they link podmeta's
// modules through the library products of the package one directory up.
//
//   swift build -c release --static-swift-stdlib --package-path bench --scratch-path .build-bench
//
// bench/probes is a separate package again: it measures podmeta's dependencies without podmeta.
import PackageDescription

let package = Package(
    name: "podmeta-bench",
    dependencies: [
        .package(name: "podmeta", path: ".."),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
    ],
    targets: [
        // The parser and quantity benchmarks: the core only.
        .executableTarget(
            name: "PodmetaBenchCore",
            dependencies: [.product(name: "PodmetaCore", package: "podmeta")]
        ),
        // The kubelet-swap driver of the agent benchmarks (publish latency, first publish).
        .executableTarget(
            name: "PodmetaBenchAgent",
            dependencies: [
                .product(name: "PodmetaCore", package: "podmeta"),
                .product(name: "PodmetaIO", package: "podmeta"),
            ]
        ),
        // Load generator and fixture server of bench/socket.sh (podmeta's socket vs nginx).
        .executableTarget(
            name: "PodmetaBenchSocket",
            dependencies: [
                .product(name: "PodmetaCore", package: "podmeta"),
                .product(name: "PodmetaState", package: "podmeta"),
                .product(name: "PodmetaServer", package: "podmeta"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
