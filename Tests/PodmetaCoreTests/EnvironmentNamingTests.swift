import Testing

@testable import PodmetaCore

@Suite struct EnvironmentNamingTests {
    @Test(arguments: [
        ("app", "APP"),
        ("app.kubernetes.io/name", "APP_KUBERNETES_IO_NAME"),
        ("ephemeral-storage", "EPHEMERAL_STORAGE"),
        ("hugepages-2Mi", "HUGEPAGES_2MI"),
        ("a__b", "A_B"),
        ("a._-/b", "A_B"),
        ("_x_", "X"),
        ("--Tier--", "TIER"),
        ("ABC123", "ABC123"),
        ("x/", "X"),
        ("é-x", "X"),
        ("aébc", "A_BC"),
        ("...", ""),
        ("", ""),
        ("日本", ""),
    ])
    func namePart(key: String, expected: String) {
        #expect(EnvironmentNaming.namePart(key) == expected)
    }

    @Test func contractSnapshotBecomesTheseVariablesInThisOrder() throws {
        let result = try EnvironmentNaming().variables(for: RenderFixtures.contractSnapshot())
        #expect(result.issues.isEmpty)
        let pairs = result.variables.map { [$0.name, $0.value, $0.source] }
        #expect(
            pairs == [
                ["POD_NAME", "web-0", "pod/name"],
                ["POD_NAMESPACE", "shop", "pod/namespace"],
                ["POD_UID", "0e2f4a10-5b6c-4d7e-8f90-a1b2c3d4e5f6", "pod/uid"],
                ["POD_NODE_NAME", "n1", "pod/nodeName"],
                ["POD_SERVICE_ACCOUNT", "web", "pod/serviceAccountName"],
                ["POD_IP", "10.1.2.3", "pod/ip"],
                ["POD_IPS", "10.1.2.3,fd00::3", "pod/ips"],
                ["POD_HOST_IP", "192.168.1.5", "pod/hostIP"],
                ["POD_HOST_IPS", "192.168.1.5", "pod/hostIPs"],
                ["POD_LABEL_APP", "web", "labels/app"],
                ["POD_LABEL_APP_KUBERNETES_IO_NAME", "shop", "labels/app.kubernetes.io/name"],
                ["POD_ANNOTATION_EXAMPLE_COM_NOTE", "multi\nline", "annotations/example.com/note"],
                ["POD_CPU_LIMIT_MILLICORES", "500", "resources/limits/cpu"],
                ["POD_CPU_LIMIT_CORES", "0.5", "resources/limits/cpu"],
                ["POD_MEMORY_LIMIT_BYTES", "134217728", "resources/limits/memory"],
                ["POD_MEMORY_LIMIT_MIB", "128", "resources/limits/memory"],
            ])
    }

    @Test func absentPodFieldsProduceNoVariable() throws {
        var snapshot = PodSnapshot()
        snapshot.pod.name = "solo"
        snapshot.pod.ips = []
        let names = try EnvironmentNaming().variables(for: snapshot).variables.map(\.name)
        #expect(names == ["POD_NAME", "POD_IPS"], "an empty list is present, an absent field is not")
    }

    @Test(arguments: [
        ("cpu", ResourceBound.limits, "2", [("POD_CPU_LIMIT_MILLICORES", "2000"), ("POD_CPU_LIMIT_CORES", "2")]),
        ("cpu", .requests, "1m", [("POD_CPU_REQUEST_MILLICORES", "1"), ("POD_CPU_REQUEST_CORES", "0.001")]),
        ("cpu", .requests, "250m", [("POD_CPU_REQUEST_MILLICORES", "250"), ("POD_CPU_REQUEST_CORES", "0.25")]),
        (
            "memory", .requests, "1",
            [("POD_MEMORY_REQUEST_BYTES", "1"), ("POD_MEMORY_REQUEST_MIB", "0.00000095367431640625")]
        ),
        ("memory", .limits, "512Ki", [("POD_MEMORY_LIMIT_BYTES", "524288"), ("POD_MEMORY_LIMIT_MIB", "0.5")]),
        (
            "ephemeral-storage", .requests, "1Gi",
            [("POD_EPHEMERAL_STORAGE_REQUEST_BYTES", "1073741824"), ("POD_EPHEMERAL_STORAGE_REQUEST_MIB", "1024")]
        ),
        (
            "hugepages-2Mi", .limits, "4Mi",
            [("POD_HUGEPAGES_2MI_LIMIT_BYTES", "4194304"), ("POD_HUGEPAGES_2MI_LIMIT_MIB", "4")]
        ),
    ])
    func resourceVariables(resource: String, bound: ResourceBound, quantity: String, expected: [(String, String)])
        throws
    {
        var snapshot = PodSnapshot()
        snapshot[bound][resource] = ResourceReading(
            quantity: RenderFixtures.quantity(quantity), raw: quantity, divisor: nil, source: "test")
        let result = try EnvironmentNaming().variables(for: snapshot)
        #expect(result.variables.map(\.name) == expected.map(\.0))
        #expect(result.variables.map(\.value) == expected.map(\.1))
        #expect(result.variables.allSatisfy { $0.source == "resources/\(bound.rawValue)/\(resource)" })
    }

    @Test func resourcesAreOrderedByNameThenLimitBeforeRequest() throws {
        var snapshot = PodSnapshot()
        let reading = ResourceReading(quantity: RenderFixtures.quantity("1"), raw: "1", divisor: nil, source: "t")
        snapshot.requests = ["memory": reading, "cpu": reading]
        snapshot.limits = ["memory": reading, "ephemeral-storage": reading]
        let names = try EnvironmentNaming().variables(for: snapshot).variables.map(\.name)
        #expect(
            names == [
                "POD_CPU_REQUEST_MILLICORES", "POD_CPU_REQUEST_CORES",
                "POD_EPHEMERAL_STORAGE_LIMIT_BYTES", "POD_EPHEMERAL_STORAGE_LIMIT_MIB",
                "POD_MEMORY_LIMIT_BYTES", "POD_MEMORY_LIMIT_MIB",
                "POD_MEMORY_REQUEST_BYTES", "POD_MEMORY_REQUEST_MIB",
            ])
    }

    @Test func collidingKeysKeepTheFirstInByteOrderAndReportTheOthers() throws {
        var snapshot = PodSnapshot()
        // Byte order: "A-B" (0x41) < "a.b" (0x61 0x2E) < "a_b" (0x61 0x5F).
        snapshot.labels = ["a_b": "3", "a.b": "2", "A-B": "1", "other": "x"]
        let result = try EnvironmentNaming().variables(for: snapshot)
        #expect(result.variables.map(\.name) == ["POD_LABEL_A_B", "POD_LABEL_OTHER"])
        #expect(result.variables.first?.value == "1")
        #expect(
            result.issues == [
                .collision(name: "POD_LABEL_A_B", kept: "labels/A-B", dropped: "labels/a.b"),
                .collision(name: "POD_LABEL_A_B", kept: "labels/A-B", dropped: "labels/a_b"),
            ])
        #expect(
            result.issues[0].description
                == "labels/a.b is left out of the environment because labels/A-B also maps to POD_LABEL_A_B and comes first in byte order"
        )
    }

    @Test func labelsAndAnnotationsWithTheSameKeyDoNotCollide() throws {
        var snapshot = PodSnapshot()
        snapshot.labels = ["tier": "web"]
        snapshot.annotations = ["tier": "note"]
        let result = try EnvironmentNaming().variables(for: snapshot)
        #expect(result.variables.map(\.name) == ["POD_LABEL_TIER", "POD_ANNOTATION_TIER"])
        #expect(result.issues.isEmpty)
    }

    @Test func valuesWithNULAreSkippedAndReported() throws {
        var snapshot = PodSnapshot()
        snapshot.annotations = ["a": "x\u{0}y", "b": "fine"]
        snapshot.pod.name = "n\u{0}"
        let result = try EnvironmentNaming().variables(for: snapshot)
        #expect(result.variables.map(\.name) == ["POD_ANNOTATION_B"])
        #expect(
            result.issues == [
                .containsNUL(name: "POD_NAME", source: "pod/name"),
                .containsNUL(name: "POD_ANNOTATION_A", source: "annotations/a"),
            ])
        #expect(
            result.issues[1].description
                == "POD_ANNOTATION_A (annotations/a) is left out of the environment because its value contains a NUL byte"
        )
    }

    @Test func theNameBelongsToTheFirstKeyEvenWhenItsValueIsSkipped() throws {
        var snapshot = PodSnapshot()
        snapshot.labels = ["a.b": "nul\u{0}", "a_b": "ok"]
        let result = try EnvironmentNaming().variables(for: snapshot)
        #expect(result.variables.isEmpty)
        #expect(
            result.issues == [
                .containsNUL(name: "POD_LABEL_A_B", source: "labels/a.b"),
                .collision(name: "POD_LABEL_A_B", kept: "labels/a.b", dropped: "labels/a_b"),
            ])
    }

    @Test func keysWithoutLettersOrDigitsAreReported() throws {
        var snapshot = PodSnapshot()
        snapshot.labels = ["...": "x"]
        let result = try EnvironmentNaming().variables(for: snapshot)
        #expect(result.variables.isEmpty)
        #expect(result.issues == [.noUsableCharacters(source: "labels/...")])
    }

    @Test(arguments: ["POD_", "APP_", "_", "x", "My_Pod_", "e", "HOST_"])
    func validPrefixes(prefix: String) throws {
        var snapshot = PodSnapshot()
        snapshot.pod.name = "n"
        snapshot.labels = ["k": "v"]
        let names = try EnvironmentNaming(prefix: prefix).variables(for: snapshot).variables.map(\.name)
        #expect(names == [prefix + "NAME", prefix + "LABEL_K"])
    }

    @Test func standardIsThePODPrefix() throws {
        #expect(EnvironmentNaming.standard == (try EnvironmentNaming()))
        #expect(EnvironmentNaming.standard.prefix == "POD_")
    }

    @Test(arguments: ["1POD_", "POD-", "PÖD_", "POD ", "$X"])
    func invalidPrefixesAreRejected(prefix: String) {
        #expect(throws: EnvironmentNamingError(prefix: prefix)) { try EnvironmentNaming(prefix: prefix) }
    }

    /// An empty prefix exported UID, which bash refuses to assign ("UID: readonly variable"),
    /// so sourcing the env file failed; other prefixes hit other names the shell owns.
    @Test(arguments: [
        ("", EnvironmentNamingError.Reason.empty), ("E", .reservedName("EUID")), ("HOST", .reservedName("HOSTNAME")),
        ("LOG", .reservedName("LOGNAME")),
    ])
    func prefixesGivingReservedNamesAreRejected(prefix: String, reason: EnvironmentNamingError.Reason) {
        #expect(throws: EnvironmentNamingError(prefix: prefix, reason: reason)) {
            try EnvironmentNaming(prefix: prefix)
        }
    }

    @Test func thePodFieldSuffixesAreTheNamesProduced() {
        var snapshot = RenderFixtures.contractSnapshot()
        snapshot.labels = [:]
        snapshot.annotations = [:]
        snapshot.limits = [:]
        let names = EnvironmentNaming.standard.variables(for: snapshot).variables.map(\.name)
        #expect(names == EnvironmentNaming.podFieldSuffixes.map { "POD_" + $0 })
    }

    @Test(arguments: [
        (0.5, "0.5"), (2, "2"), (0.001, "0.001"), (1e-5, "0.00001"), (1.5e-7, "0.00000015"),
        (1e20, "100000000000000000000"), (1.25e21, "1250000000000000000000"), (128, "128"),
        (117.73756885528564, "117.73756885528564"), (-0.25, "-0.25"), (0, "0"), (-0.0, "0"),
        (0.1, "0.1"), (1000.5, "1000.5"),
        (Double.leastNonzeroMagnitude, "0." + String(repeating: "0", count: 323) + "5"),
    ])
    func shortestDecimal(value: Double, expected: String) {
        #expect(ShortestDecimal.format(value) == expected)
        #expect(Double(expected) == value, "the text reads back as the same Double")
    }

    @Test func nonFiniteHasNoDecimal() {
        #expect(ShortestDecimal.format(.infinity) == nil)
        #expect(ShortestDecimal.format(.nan) == nil)
    }

    @Test(arguments: [
        ("POD_NAME", true), ("_x", true), ("a1", true), ("1a", false), ("", false), ("A-B", false), ("É", false),
    ])
    func variableNameValidity(name: String, valid: Bool) {
        #expect(EnvironmentVariable.isValidName(name) == valid)
    }
}
