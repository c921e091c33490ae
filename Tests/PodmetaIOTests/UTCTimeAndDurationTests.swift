import PodmetaSystem
import Testing

@Suite struct UTCTimeTests {
    @Test(arguments: [
        // seconds, nanoseconds, log line, kubelet's RFC3339Nano, generation directory stamp
        (0, 0, "1970-01-01T00:00:00.000Z", "1970-01-01T00:00:00Z", "1970_01_01_00_00_00"),
        (
            1_732_244_645, 123_456_789, "2024-11-22T03:04:05.123Z", "2024-11-22T03:04:05.123456789Z",
            "2024_11_22_03_04_05"
        ),
        (1_732_244_645, 120_000_000, "2024-11-22T03:04:05.120Z", "2024-11-22T03:04:05.12Z", "2024_11_22_03_04_05"),
        (1_732_244_645, 5, "2024-11-22T03:04:05.000Z", "2024-11-22T03:04:05.000000005Z", "2024_11_22_03_04_05"),
    ])
    func formats(seconds: Int, nanoseconds: Int, log: String, nano: String, stamp: String) {
        let time = UTCTime(secondsSinceEpoch: seconds, nanoseconds: nanoseconds)
        #expect(time.rfc3339Milliseconds == log)
        #expect(time.rfc3339Nano == nano)
        #expect(time.underscoreSeparated == stamp)
    }
}

@Suite struct DurationConversionTests {
    @Test(arguments: [
        (Duration.zero, Int32(0)),
        (.milliseconds(-5), 0),
        (.nanoseconds(1), 1),
        (.milliseconds(20), 20),
        (.microseconds(20_001), 21),
        (.seconds(3), 3000),
        (.seconds(Int64.max / 2), Int32.max),
    ])
    func pollTimeoutRoundsUpAndClamps(duration: Duration, milliseconds: Int32) {
        #expect(duration.pollTimeoutMilliseconds == milliseconds)
    }

    @Test(arguments: [
        (Duration.zero, Int64(0)),
        (.nanoseconds(7), 7),
        (.seconds(2), 2_000_000_000),
        (.seconds(-2), -2_000_000_000),
        (.seconds(Int64.max / 2), Int64.max),
        (.seconds(Int64.min / 2), Int64.min),
    ])
    func nanosecondsSaturate(duration: Duration, nanoseconds: Int64) {
        #expect(duration.saturatingNanoseconds == nanoseconds)
    }

    @Test(arguments: [
        (Duration.zero, 0.0),
        (.milliseconds(1500), 1.5),
        (.nanoseconds(250), 0.000_000_25),
        (.seconds(-2), -2.0),
    ])
    func secondsAsDouble(duration: Duration, seconds: Double) {
        #expect(duration.secondsAsDouble == seconds)
    }

    /// A zero `timeval` would mean no timeout at all: the shortest is 1 µs.
    @Test(arguments: [
        (Duration.seconds(5), 5, 0),
        (.milliseconds(1500), 1, 500_000),
        (.nanoseconds(1999), 0, 1),
        (.nanoseconds(500), 0, 1),
        (.zero, 0, 1),
        (.seconds(-1), 0, 1),
    ])
    func socketTimeoutsAreWholeMicrosecondsAndNeverZero(duration: Duration, seconds: Int, microseconds: Int) {
        #expect(duration.socketTimeout.tv_sec == seconds)
        #expect(duration.socketTimeout.tv_usec == microseconds)
    }
}
