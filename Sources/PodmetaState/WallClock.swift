import Glibc

/// Wall-clock time without Foundation.
package enum WallClock {
    /// Seconds since the Unix epoch.
    @Sendable package static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
