import Testing

@testable import PodmetaCore

/// Downward API divisors and file values: every worked example of
/// `reference/downward-api.md` section 5, the kubelet's float64 arithmetic, the API
/// server's divisor validation, and the conversion of a file integer back to a quantity.
@Suite struct QuantityDivisorTests {
    private static func quantity(_ text: String) -> Quantity {
        do {
            return try Quantity(parsing: text)
        } catch {
            Issue.record("\(error)")
            return .zero
        }
    }

    /// downward-api.md section 5 table (resource, spec quantity, divisor, file).
    static let workedExamplesTable: [(String, String, String?, Int64)] = [
        ("cpu", "250m", nil, 1),
        ("cpu", "250m", "1m", 250),
        ("cpu", "1.5", "1", 2),
        ("memory", "64Mi", "1", 67_108_864),
        ("memory", "64Mi", "1Mi", 64),
        ("memory", "64Mi", "1M", 68),
        ("memory", "64Mi", "1Gi", 1),
        ("memory", "100M", "1Mi", 96),
        ("hugepages-2Mi", "100Mi", "1Mi", 100),
    ]

    @Test(arguments: workedExamplesTable)
    func workedExample(resource: String, spec: String, divisor: String?, file: Int64) {
        let divisorQuantity = divisor.map(Self.quantity)
        #expect(
            DownwardAPIResource.fileValue(of: Self.quantity(spec), resource: resource, divisor: divisorQuantity) == file
        )
        if let divisorQuantity {
            #expect(ResourceDivisor.validationProblem(divisorQuantity, resource: resource) == nil)
        }
        // Back from the file: exact up to the divisor, never below the spec value.
        let back = DownwardAPIResource.quantity(fileValue: file, divisor: divisorQuantity)
        #expect(back >= Self.quantity(spec))
    }

    /// Float64 behaviour of `int64(math.Ceil(float64(a) / float64(b)))`, reproduced.
    static let kubeletArithmeticTable: [(String, String, String?, Int64?)] = [
        // 2^53 + 1 bytes: float64 cannot hold it, the kubelet writes 2^53.
        ("memory", "9007199254740993", "1", 9_007_199_254_740_992),
        ("memory", "9007199254740993", nil, 9_007_199_254_740_992),
        ("cpu", "9007199254740.993", "1m", 9_007_199_254_740_992),
        ("ephemeral-storage", "9007199254740993", "1k", 9_007_199_254_741),
        // 2^63 - 1 rounds to 2^63 in float64: outside Int64, platform-defined in Go.
        ("memory", "8Ei", "1", nil),
        ("memory", "9223372036854775807", nil, nil),
        ("memory", "8Ei", "1Ki", 9_007_199_254_740_992),
        ("memory", "4Ei", "1", 4_611_686_018_427_387_904),
        // MilliValue() beyond Int64: upstream computes with a wrapped number; we say nil.
        ("cpu", "9223372036854776", "1m", nil),
        // 9223372036854775000 milli is 9223372036854774784 as a float64; / 1000 rounds to an
        // even float64 below the exact quotient: the kubelet writes ...774, not ...775.
        ("cpu", "9223372036854775", "1", 9_223_372_036_854_774),
        ("memory", "10E", "1", nil),
        // Value() rounds up before dividing; cpu uses MilliValue().
        ("memory", "0.5", "1", 1),
        ("memory", "128m", "1", 1),
        ("cpu", "0.5m", "1m", 1),
        ("cpu", "1.0001", "1", 2),
        ("cpu", "1.0001", "1m", 1001),
        ("cpu", "0", "1m", 0),
        ("memory", "1Gi", "1E", 1),
        ("memory", "1Ei", "1Ei", 1),
        ("memory", "1Ei", "1Pi", 1024),
        // Zero divisors mean 1; "1000E" is stored (and divided) as 1.
        ("memory", "64Mi", "0", 67_108_864),
        ("memory", "64Mi", "0Mi", 67_108_864),
        ("memory", "64Mi", "1000E", 67_108_864),
        // The kubelet refuses anything but cpu, memory, ephemeral-storage and hugepages-*.
        ("nvidia.com/gpu", "1", "1", nil),
    ]

    @Test(arguments: kubeletArithmeticTable)
    func kubeletArithmetic(resource: String, spec: String, divisor: String?, file: Int64?) {
        #expect(
            DownwardAPIResource(name: resource).fileValue(of: Self.quantity(spec), divisor: divisor.map(Self.quantity))
                == file)
    }

    /// File integer × divisor, exact, in the divisor's format.
    static let backConversionsTable: [(Int64, String?, String, String)] = [
        (250, "1m", "250m", "0.25"),
        (64, "1Mi", "64Mi", "67108864"),
        (96, "1Mi", "96Mi", "100663296"),
        (67_108_864, "1", "67108864", "67108864"),
        (68, "1M", "68M", "68000000"),
        (1, nil, "1", "1"),
        (2, "0", "2", "2"),
        (7, "1000E", "7", "7"),
        (1500, "1m", "1500m", "1.5"),
        (1000, "1m", "1", "1"),
        (0, "1Gi", "0", "0"),
        (Int64.max, "1Ei", "9223372036854775807Ei", "10633823966279326982077534977635909632"),
        (-1, "1Ki", "-1Ki", "-1024"),
    ]

    @Test(arguments: backConversionsTable)
    func quantityFromFileValue(file: Int64, divisor: String?, canonical: String, exact: String) {
        let quantity = DownwardAPIResource.quantity(fileValue: file, divisor: divisor.map(Self.quantity))
        #expect(quantity.canonical == canonical)
        #expect(quantity.exact == exact)
    }

    /// validateContainerResourceDivisor: String() of the divisor must be on the list; a
    /// zero divisor is always fine. String() echoes some inputs, hence `+1` and `01` fail
    /// while `1.000` and `1000m` pass (all checked against Go in the oracle fixture).
    static let validationTable: [(String, String, Bool)] = [
        ("cpu", "1m", true), ("cpu", "1", true), ("cpu", "1000m", true), ("cpu", "1.000", true),
        ("cpu", "1.0", true), ("cpu", "0.001", true), ("cpu", "1000000n", true), ("cpu", "10e-1", true),
        ("cpu", "0", true), ("cpu", "0Mi", true), ("cpu", "0.0", true),
        ("cpu", "1Ki", false), ("cpu", "+1", false), ("cpu", "01", false), ("cpu", "1e0", false),
        ("cpu", "2", false), ("cpu", "1M", false), ("cpu", "-1", false), ("cpu", "1u", false), ("cpu", "1k", false),
        ("memory", "1", true), ("memory", "1k", true), ("memory", "1M", true), ("memory", "1G", true),
        ("memory", "1T", true), ("memory", "1P", true), ("memory", "1E", true), ("memory", "1Ki", true),
        ("memory", "1Mi", true), ("memory", "1Gi", true), ("memory", "1Ti", true), ("memory", "1Pi", true),
        ("memory", "1Ei", true), ("memory", "1024Ki", true), ("memory", "1000", true), ("memory", "1.0Ki", true),
        ("memory", "1000E", true), ("memory", "0", true),
        ("memory", "1024", false), ("memory", "1e3", false), ("memory", "1E3", false), ("memory", "1m", false),
        ("memory", "+1Mi", false), ("memory", "01Ki", false), ("memory", "1.Ki", false), ("memory", "1048576", false),
        ("memory", "2Mi", false), ("memory", "1000000000000000000000m", true),
        ("ephemeral-storage", "1Gi", true), ("ephemeral-storage", "1m", false),
        ("hugepages-2Mi", "1Mi", true), ("hugepages-1Gi", "1m", false), ("hugepages-", "1Ki", true),
        ("nvidia.com/gpu", "1", false), ("pods", "0", false), ("", "1", false),
    ]

    @Test(arguments: validationTable)
    func divisorValidation(resource: String, divisor: String, valid: Bool) {
        let problem = ResourceDivisor.validationProblem(Self.quantity(divisor), resource: resource)
        #expect((problem == nil) == valid, "\(problem ?? "no problem")")
    }

    @Test func validationMessages() {
        #expect(
            ResourceDivisor.validationProblem(Self.quantity("1Ki"), resource: "cpu")
                == "divisor 1Ki is not supported for cpu: only 1m and 1 are")
        #expect(
            ResourceDivisor.validationProblem(Self.quantity("1024"), resource: "memory")
                == "divisor 1024 is not supported for memory: only 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi and 1Ei are"
        )
        #expect(
            ResourceDivisor.validationProblem(Self.quantity("+1"), resource: "cpu")
                == "the API server keeps divisor 1 exactly as written, and only the spellings 1m and 1 are supported for cpu"
        )
        #expect(
            ResourceDivisor.validationProblem(Self.quantity("1"), resource: "nvidia.com/gpu")
                == "resource \"nvidia.com/gpu\" is not available through the downward API"
                + " (only cpu, memory, ephemeral-storage and hugepages-<size> are)")
    }

    @Test(arguments: [
        ("cpu", DownwardAPIResource.cpu), ("memory", .memory), ("ephemeral-storage", .ephemeralStorage),
        ("hugepages-2Mi", .hugePages(pageSize: "2Mi")), ("hugepages-", .hugePages(pageSize: "")),
        ("nvidia.com/gpu", .unsupported("nvidia.com/gpu")), ("Memory", .unsupported("Memory")),
        ("limits.cpu", .unsupported("limits.cpu")),
    ])
    func resourceNames(name: String, resource: DownwardAPIResource) {
        #expect(DownwardAPIResource(name: name) == resource)
        #expect(resource.name == name)
        #expect(resource.description == name)
    }

    @Test func effectiveDivisor() {
        #expect(ResourceDivisor.effective(nil) == .one)
        #expect(ResourceDivisor.effective(Self.quantity("0")) == .one)
        #expect(ResourceDivisor.effective(Self.quantity("-0.0Ki")) == .one)
        #expect(ResourceDivisor.effective(Self.quantity("1Mi")).canonical == "1Mi")
        #expect(ResourceDivisor.effective(Self.quantity("1000E")) == .one)
        #expect(ResourceDivisor.effective(Self.quantity("1m")).canonical == "1m")
    }
}
