import Testing

@testable import PodmetaCore

@Suite struct RetryBackoffTests {
    @Test(arguments: [
        (1, Duration.milliseconds(500)), (2, .seconds(1)), (3, .seconds(2)), (4, .seconds(4)), (7, .seconds(30)),
        (60, .seconds(30)), (10_000, .seconds(30)), (0, .zero),
    ])
    func nominalDelayDoublesUpToTheMaximum(retry: Int, expected: Duration) {
        let backoff = RetryBackoff(retries: 10, initial: .milliseconds(500), maximum: .seconds(30))
        #expect(backoff.nominalDelay(beforeRetry: retry) == expected)
    }

    @Test(arguments: [(0.0, 1.0), (0.5, 0.75), (0.999_999, 0.5), (-3.0, 1.0), (7.0, 0.5)])
    func jitterTakesAtMostItsFractionOff(unit: Double, factor: Double) {
        let backoff = RetryBackoff(initial: .seconds(2), maximum: .seconds(2), jitter: 0.5)
        let delay = backoff.delay(beforeRetry: 1, unit: unit)
        #expect(abs((delay / .seconds(2)) - factor) < 1e-5)
    }

    @Test func settingsAreClamped() {
        let backoff = RetryBackoff(retries: -2, initial: .seconds(5), maximum: .seconds(1), jitter: 4)
        #expect(backoff.retries == 0)
        #expect(backoff.maximum == .seconds(5))
        #expect(backoff.jitter == 1)
    }
}
