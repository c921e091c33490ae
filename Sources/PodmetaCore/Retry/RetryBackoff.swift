/// Exponential backoff with jitter between the attempts of a retried request.
///
/// The delay before retry `n` (1 for the first retry) is `initial * 2^(n-1)`, capped at
/// `maximum`, then scaled by a factor drawn from `[1 - jitter, 1]`. The jitter spreads the
/// retries of many replicas that failed at the same moment; keeping the upper bound at the
/// nominal delay keeps the worst case predictable.
public struct RetryBackoff: Sendable, Hashable {
    /// Retries after the first attempt (0: one attempt only).
    public var retries: Int
    public var initial: Duration
    public var maximum: Duration
    /// The fraction of each delay that is random, 0...1.
    public var jitter: Double

    public init(
        retries: Int = 3, initial: Duration = .milliseconds(500), maximum: Duration = .seconds(30), jitter: Double = 0.5
    ) {
        self.retries = max(0, retries)
        self.initial = max(.zero, initial)
        self.maximum = max(self.initial, maximum)
        self.jitter = min(1, max(0, jitter))
    }

    /// The nominal delay before retry `retry` (1-based), before jitter.
    public func nominalDelay(beforeRetry retry: Int) -> Duration {
        guard retry > 0 else { return .zero }
        var delay = initial
        for _ in 1..<retry {
            if delay >= maximum / 2 { return maximum }
            delay *= 2
        }
        return min(delay, maximum)
    }

    /// The delay before retry `retry`, with `unit` (uniform in 0..<1) picking the jitter.
    public func delay(beforeRetry retry: Int, unit: Double) -> Duration {
        let nominal = nominalDelay(beforeRetry: retry)
        let factor = 1 - jitter * min(1, max(0, unit))
        return nominal * factor
    }
}
