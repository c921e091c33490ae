/// Downward API divisors, validated and resolved as the API server and kubelet do.
///
/// Validation mirrors `validateContainerResourceDivisor` in k8s.io/kubernetes
/// `pkg/apis/core/validation/validation.go`: a zero divisor (unset, or written as `0`) is
/// always fine and means 1; otherwise the divisor's `String()` must be one of the
/// resource's ``DownwardAPIResource/allowedDivisors``. Because `String()` echoes some
/// inputs verbatim, `1.000` and `1000m` pass as cpu divisors while `+1`, `01` and `1e0` do
/// not; `1000E` even passes as `1` (upstream prints it without its suffix) and is then
/// stored, and divided by, as 1.
public enum ResourceDivisor {
    /// Why the API server would reject `divisor` for the named resource (`cpu`, `memory`,
    /// `ephemeral-storage`, `hugepages-<size>`), or nil when it accepts it. The text is a
    /// lowercase clause without a final period, made to follow "invalid divisor: ".
    public static func validationProblem(_ divisor: Quantity, resource: String) -> String? {
        validationProblem(divisor, for: DownwardAPIResource(name: resource))
    }

    /// Why the API server would reject `divisor` for `resource`, or nil when it accepts it.
    public static func validationProblem(_ divisor: Quantity, for resource: DownwardAPIResource) -> String? {
        guard resource.isSupported else {
            return "resource \(resource.name.debugDescription) is not available through the downward API"
                + " (only cpu, memory, ephemeral-storage and hugepages-<size> are)"
        }
        if divisor.isZero { return nil }
        let allowed = resource.allowedDivisors
        let list = allowed.dropLast().joined(separator: ", ") + " and " + allowed[allowed.count - 1]
        if divisor.upstreamEchoesText {
            return "the API server keeps divisor \(divisor.canonical) exactly as written, and only the spellings "
                + "\(list) are supported for \(resource.name)"
        }
        let stored = divisor.upstreamCanonical
        if allowed.contains(stored) { return nil }
        return "divisor \(stored) is not supported for \(resource.name): only \(list) are"
    }

    /// The divisor the kubelet divides by: 1 for unset or zero, otherwise the value of what
    /// the API server stores for it (its `String()`, which differs from the divisor only
    /// for decimal SI beyond 10^18).
    public static func effective(_ divisor: Quantity?) -> Quantity {
        guard let divisor, !divisor.isZero else { return .one }
        let stored = divisor.upstreamCanonical
        if divisor.upstreamEchoesText || stored == divisor.canonical { return divisor }
        return (try? Quantity(parsing: stored)) ?? divisor
    }
}
