/// The element at fraction `p` of `sorted` by nearest rank (the smallest value with at least
/// that fraction of the values at or below it); nil when there are no values, which a driver
/// reports as 0 or treats as its own bug.
package func percentile(_ sorted: [UInt64], _ p: Double) -> UInt64? {
    guard !sorted.isEmpty else { return nil }
    let rank = Int((Double(sorted.count) * p).rounded(.up))
    return sorted[min(sorted.count - 1, max(0, rank - 1))]
}
