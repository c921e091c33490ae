import Glibc

/// The conversions of `Duration` the system calls need, in one place.
extension Duration {
    /// poll(2)'s timeout: whole milliseconds rounded up (waking a hair early would find
    /// nothing due and poll again at once), 0 for a past deadline, clamped to `Int32`.
    package var pollTimeoutMilliseconds: Int32 {
        guard self > .zero else { return 0 }
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return .max }
        return Int32(
            clamping: whole.addingReportingOverflow((attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
                .partialValue)
    }

    /// The whole nanoseconds, saturating at `Int64.min` and `Int64.max`.
    package var saturatingNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, sumOverflow) = whole.addingReportingOverflow(attoseconds / 1_000_000_000)
        if sumOverflow { return seconds < 0 ? .min : .max }
        return sum
    }

    /// The seconds as a `Double`, for metrics: Prometheus measures durations in seconds.
    package var secondsAsDouble: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// `SO_RCVTIMEO` and `SO_SNDTIMEO`'s `timeval`: whole microseconds (rounded down), at
    /// least one, because a zero `timeval` means no timeout at all; 1 µs for a duration
    /// that is not positive.
    package var socketTimeout: timeval {
        guard self > .zero else { return timeval(tv_sec: 0, tv_usec: 1) }
        let (seconds, attoseconds) = components
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        if value.tv_sec == 0, value.tv_usec == 0 { value.tv_usec = 1 }
        return value
    }
}
