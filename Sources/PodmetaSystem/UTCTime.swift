import Glibc

/// A moment in UTC as calendar fields (gmtime_r(3)), and the ways podmeta prints one:
/// log lines, the kubelet's `config.seen` annotation and its generation directory names.
package struct UTCTime: Sendable, Equatable {
    package var year: Int
    package var month: Int
    package var day: Int
    package var hour: Int
    package var minute: Int
    package var second: Int
    package var nanoseconds: Int

    package init(secondsSinceEpoch: Int, nanoseconds: Int = 0) {
        var time = secondsSinceEpoch
        var parts = tm()
        gmtime_r(&time, &parts)
        year = Int(parts.tm_year) + 1900
        month = Int(parts.tm_mon) + 1
        day = Int(parts.tm_mday)
        hour = Int(parts.tm_hour)
        minute = Int(parts.tm_min)
        second = Int(parts.tm_sec)
        self.nanoseconds = nanoseconds
    }

    /// The wall clock (CLOCK_REALTIME) now.
    package static func now() -> UTCTime {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return UTCTime(secondsSinceEpoch: spec.tv_sec, nanoseconds: Int(spec.tv_nsec))
    }

    /// `2024-11-22T03:04:05.123Z`: RFC 3339 with milliseconds, as log lines carry it.
    package var rfc3339Milliseconds: String {
        dateAndTime + "." + Self.pad(nanoseconds / 1_000_000, 3) + "Z"
    }

    /// `2024-11-22T03:04:05.123456789Z`: Go's `time.RFC3339Nano` (trailing zeros of the
    /// fraction dropped, no fraction at all for a whole second), as the kubelet writes it.
    package var rfc3339Nano: String {
        guard nanoseconds > 0 else { return dateAndTime + "Z" }
        var fraction = Self.pad(nanoseconds, 9)
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return dateAndTime + "." + fraction + "Z"
    }

    /// `2024_11_22_03_04_05`: Go's layout `2006_01_02_15_04_05`, the kubelet's generation
    /// directory names.
    package var underscoreSeparated: String {
        [
            Self.pad(year, 4), Self.pad(month, 2), Self.pad(day, 2), Self.pad(hour, 2), Self.pad(minute, 2),
            Self.pad(second, 2),
        ]
        .joined(separator: "_")
    }

    private var dateAndTime: String {
        "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))T"
            + "\(Self.pad(hour, 2)):\(Self.pad(minute, 2)):\(Self.pad(second, 2))"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
