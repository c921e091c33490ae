/// A resource a downward API `resourceFieldRef` names (the part after `limits.` or
/// `requests.`), and the kubelet's arithmetic on it.
///
/// The kubelet (k8s.io/kubernetes `pkg/api/v1/resource/helpers.go`) writes
/// `ceil(Double(q.MilliValue()) / Double(divisor.MilliValue()))` for cpu and
/// `ceil(Double(q.Value()) / Double(divisor.Value()))` for everything else, in float64;
/// ``fileValue(of:divisor:)`` reproduces that, rounding of large values included.
public enum DownwardAPIResource: Sendable, Hashable, CustomStringConvertible {
    case cpu
    case memory
    case ephemeralStorage
    /// `hugepages-<size>`; the API server checks only the prefix, so the size may be any text.
    case hugePages(pageSize: String)
    /// Anything else (`nvidia.com/gpu`, `pods`): the API server rejects it in a resourceFieldRef.
    case unsupported(String)

    /// Classifies a resource name: `cpu`, `memory`, `ephemeral-storage`, `hugepages-2Mi`, ...
    public init(name: String) {
        switch name {
        case "cpu": self = .cpu
        case "memory": self = .memory
        case "ephemeral-storage": self = .ephemeralStorage
        default:
            if name.hasPrefix("hugepages-") {
                self = .hugePages(pageSize: String(name.dropFirst("hugepages-".count)))
            } else {
                self = .unsupported(name)
            }
        }
    }

    /// The resource name as Kubernetes writes it.
    public var name: String {
        switch self {
        case .cpu: return "cpu"
        case .memory: return "memory"
        case .ephemeralStorage: return "ephemeral-storage"
        case .hugePages(let pageSize): return "hugepages-" + pageSize
        case .unsupported(let name): return name
        }
    }

    public var description: String { name }

    /// Whether the API server accepts it in a resourceFieldRef.
    public var isSupported: Bool {
        if case .unsupported = self { return false }
        return true
    }

    /// The divisors the API server accepts for it, spelled as `String()` must print them.
    public var allowedDivisors: [String] {
        switch self {
        case .cpu: return ["1m", "1"]
        case .memory, .ephemeralStorage, .hugePages:
            return ["1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei"]
        case .unsupported: return []
        }
    }

    /// The integer the kubelet writes into a downward API file (or env var) for `quantity`
    /// with `divisor`; nil (unset) and zero divisors mean 1.
    ///
    /// Returns nil for an unsupported resource (the kubelet fails the whole volume) and
    /// where the kubelet's result is not meaningful: when `Value()` or
    /// `MilliValue()` does not fit in an Int64 (upstream then computes with a wrapped
    /// number), or when the float64 quotient is outside Int64, where Go's conversion is
    /// platform-defined (amd64 writes -9223372036854775808, arm64 9223372036854775807;
    /// `8Ei` of memory with divisor 1 is such a case, since 2^63-1 rounds up to 2^63).
    public func fileValue(of quantity: Quantity, divisor: Quantity?) -> Int64? {
        guard isSupported else { return nil }
        let divisor = ResourceDivisor.effective(divisor)
        let numerator: Int64?
        let denominator: Int64?
        if self == .cpu {
            numerator = quantity.milliValue
            denominator = divisor.milliValue
        } else {
            numerator = quantity.value
            denominator = divisor.value
        }
        guard let numerator, let denominator else { return nil }
        // Both conversions round to nearest even, like Go's float64(int64).
        let quotient = Self.ceiling(Double(numerator) / Double(denominator))
        guard quotient >= -0x1p63, quotient < 0x1p63 else { return nil }  // NaN fails too
        return Int64(quotient)
    }

    /// math.Ceil without libm (`rounded(.up)` can compile to a call to `ceil`, and
    /// PodmetaCore links no math library).
    static func ceiling(_ value: Double) -> Double {
        guard value.magnitude < 0x1p52 else { return value }  // already whole, or not finite
        let truncated = Double(Int64(value))
        return truncated < value ? truncated + 1 : truncated
    }

    /// ``fileValue(of:divisor:)`` for a resource given by name (`cpu`, `memory`, ...).
    public static func fileValue(of quantity: Quantity, resource: String, divisor: Quantity?) -> Int64? {
        DownwardAPIResource(name: resource).fileValue(of: quantity, divisor: divisor)
    }

    /// The quantity a downward API file integer stands for: `fileValue × divisor`, exact,
    /// in the divisor's format (`64` with `1Mi` is `64Mi`). nil and zero divisors mean 1.
    ///
    /// The kubelet rounded up when it divided, so the real quantity may be up to one
    /// divisor less (`96` with `1Mi` came from anything above 95Mi, such as `100M`).
    public static func quantity(fileValue: Int64, divisor: Quantity?) -> Quantity {
        ResourceDivisor.effective(divisor).multiplied(by: fileValue)
    }
}
