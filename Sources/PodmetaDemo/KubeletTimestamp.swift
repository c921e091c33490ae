import PodmetaSystem

/// The time as the kubelet writes it into `kubernetes.io/config.seen`: Go's
/// `time.RFC3339Nano` in UTC (`2024-11-22T03:04:05.123456789Z`, trailing zeros of the
/// fraction dropped, no fraction at all for a whole second).
enum KubeletTimestamp {
    static func now() -> String {
        UTCTime.now().rfc3339Nano
    }

    static func format(seconds: Int, nanoseconds: Int) -> String {
        UTCTime(secondsSinceEpoch: seconds, nanoseconds: nanoseconds).rfc3339Nano
    }
}
