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
}
