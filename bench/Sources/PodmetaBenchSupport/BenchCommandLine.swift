import Glibc

// What the benchmark drivers (PodmetaBenchCore, PodmetaBenchAgent, PodmetaBenchSocket) share:
// their argument lookup, their one-line failure and their clock, so each driver holds only
// its measurements.

/// Prints `NAME: message` on stderr (NAME is the driver's own, from argv[0]) and exits 2.
package func fail(_ message: String) -> Never {
    let name = CommandLine.arguments.first.map { $0.split(separator: "/").last.map(String.init) ?? $0 } ?? "bench"
    let bytes = Array("\(name): \(message)\n".utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress!, $0.count) }
    exit(2)
}

/// The value after `--name` in `arguments`, or nil when the option is absent or last.
package func option(_ name: String, _ arguments: [String]) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

/// CLOCK_MONOTONIC in nanoseconds.
package func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}
