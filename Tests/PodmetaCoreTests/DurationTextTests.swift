import Testing

@testable import PodmetaCore

@Suite struct DurationTextTests {
    @Test(arguments: [
        ("0", Duration.zero), ("30s", .seconds(30)), ("5m", .seconds(300)), ("1h", .seconds(3600)),
        ("1m30s", .seconds(90)), ("250ms", .milliseconds(250)), ("1.5s", .milliseconds(1500)),
        ("10us", .microseconds(10)), ("7ns", .nanoseconds(7)),
        // Found by fuzzing: whole numbers past 2^53 ns went through a Double and lost nanoseconds.
        ("31620332000000009ns", .nanoseconds(31_620_332_000_000_009)),
        ("9007199254740993ns", .nanoseconds(9_007_199_254_740_993)),
    ])
    func parses(text: String, expected: Duration) {
        #expect(DurationText.parse(text) == expected)
    }

    @Test(arguments: ["", "5", "s", "1x", "1.2.3s", "-1s", "1 s", ".s", "1e3s", "99999999999h"])
    func rejects(text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test(arguments: [
        Duration.zero, .seconds(90), .seconds(120), .milliseconds(250), .nanoseconds(3),
        .nanoseconds(31_620_332_000_000_009),
    ])
    func formatParsesBack(duration: Duration) {
        #expect(DurationText.parse(DurationText.format(duration)) == duration)
    }

    /// Found by fuzzing: parts under the per-part bound summed past Int64 nanoseconds, and
    /// formatting such a duration trapped.
    @Test(arguments: [String(repeating: "277777h", count: 12), String(repeating: "999999999s", count: 2)])
    func rejectsSumsPastTheBound(text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test(arguments: [
        (Duration.seconds(10_000_000_000), "10000000000s"), (.seconds(Int64.max / 60 * 60), "153722867280912930m"),
    ])
    func formatsDurationsPastInt64Nanoseconds(duration: Duration, expected: String) {
        #expect(DurationText.format(duration) == expected)
    }
}
