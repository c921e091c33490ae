import Testing

@testable import PodmetaCore

@Suite struct SnapshotAssemblerTests {
    static let kubeletVolume: [String: [UInt8]] = [
        "labels": Array("app=\"web\"\napp.kubernetes.io/name=\"shop\"".utf8),
        "annotations": Array(
            "example.com/note=\"multi\\nline\"\nkubernetes.io/config.seen=\"2026-11-22T01:02:03Z\"".utf8),
        "name": Array("web-0".utf8),
        "namespace": Array("shop".utf8),
        "uid": Array("0e2f4a10".utf8),
        "cpu_limit": Array("500".utf8),
        "mem_limit": Array("128".utf8),
    ]

    @Test func buildsTheContractDocument() throws {
        let assembly = try SnapshotAssembler().assemble(
            volumeFiles: Self.kubeletVolume, volumeRoot: "/etc/podinfo",
            variables: ["POD_NAME": "env-name", "POD_IP": "10.1.2.3", "POD_IPS": "10.1.2.3,fd00::3", "HOME": "/root"])
        #expect(assembly.issues.isEmpty)
        let snapshot = assembly.snapshot
        #expect(snapshot.pod.name == "web-0", "the volume wins over the environment")
        #expect(snapshot.pod.ip == "10.1.2.3")
        #expect(snapshot.pod.ips == ["10.1.2.3", "fd00::3"])
        #expect(snapshot.labels == ["app": "web", "app.kubernetes.io/name": "shop"])
        #expect(snapshot.annotations["example.com/note"] == "multi\nline")
        #expect(snapshot.env == ["POD_NAME": "env-name", "POD_IP": "10.1.2.3", "POD_IPS": "10.1.2.3,fd00::3"])
        let document = JSONRenderer(style: .compact).string(snapshot.document(revision: 7))
        #expect(document.contains(#""revision":7"#))
        #expect(document.contains(#""apiVersion":"podmeta/v1""#))
        #expect(
            document.contains(
                #""cpu":{"cores":0.5,"divisor":"1m","millicores":500,"quantity":"500m","raw":"500","source":"volume:cpu_limit"}"#
            ))
        #expect(
            document.contains(
                #""memory":{"bytes":134217728,"divisor":"1Mi","mebibytes":128,"quantity":"128Mi","raw":"128","source":"volume:mem_limit"}"#
            ))
        #expect(document.contains(#""requests":{}"#))
    }

    @Test func sameInputGivesSameBytes() throws {
        let a = try SnapshotAssembler().assemble(volumeFiles: Self.kubeletVolume, variables: [:]).snapshot
        let b = try SnapshotAssembler().assemble(volumeFiles: Self.kubeletVolume, variables: [:]).snapshot
        #expect(a == b)
        #expect(
            JSONRenderer(style: .pretty).render(a.document(revision: 1))
                == JSONRenderer(style: .pretty).render(b.document(revision: 1)))
    }

    @Test func documentReadsBack() throws {
        let snapshot = try SnapshotAssembler().assemble(
            volumeFiles: Self.kubeletVolume, variables: ["POD_HOST_IPS": "192.168.1.5", "POD_CPU_REQUEST": "250m"]
        ).snapshot
        let text = JSONRenderer(style: .pretty).render(snapshot.document(revision: 3))
        let back = try PodSnapshot(document: try JSONParser.parse(text))
        #expect(back == snapshot)
    }

    @Test(
        arguments: [
            ("POD_CPU_LIMIT", "500", "500m", "1m"),
            ("POD_CPU_LIMIT", "1500m", "1500m", nil),
            ("POD_CPU_LIMIT", "2", "2m", "1m"),
            ("POD_MEMORY_LIMIT", "134217728", "134217728", "1"),
            ("POD_MEMORY_LIMIT", "64Mi", "64Mi", nil),
        ] as [(String, String, String, String?)])
    func environmentResources(name: String, value: String, quantity: String, divisor: String?) throws {
        let snapshot = try SnapshotAssembler().assemble(volumeFiles: [:], variables: [name: value]).snapshot
        let resource = name.contains("CPU") ? "cpu" : "memory"
        let reading = try #require(snapshot.limits[resource])
        #expect(reading.quantity.canonical == quantity)
        #expect(reading.divisor?.canonical == divisor)
        #expect(reading.raw == value)
        #expect(reading.source == "env:\(name)")
    }

    @Test func volumeLabelMapIsAuthoritative() throws {
        let assembler = SnapshotAssembler(
            items: VolumeItem.defaults,
            environment: EnvironmentSpec(items: [try EnvironmentItem(parsing: "OLD=metadata.labels['gone']")]))
        let snapshot = try assembler.assemble(volumeFiles: Self.kubeletVolume, variables: ["OLD": "stale"]).snapshot
        #expect(snapshot.labels["gone"] == nil, "a label removed live must not linger from the environment")
        #expect(snapshot.env["OLD"] == "stale")
        let envOnly = try assembler.assemble(volumeFiles: [:], variables: ["OLD": "v"]).snapshot
        #expect(envOnly.labels["gone"] == "v")
    }

    @Test func malformedResourceIsSkippedOrFatalWhenStrict() throws {
        var files = Self.kubeletVolume
        files["cpu_limit"] = Array("12x".utf8)
        let lenient = try SnapshotAssembler().assemble(volumeFiles: files, volumeRoot: "/v", variables: [:])
        #expect(lenient.snapshot.limits["cpu"] == nil)
        #expect(lenient.issues.map(\.source) == ["/v/cpu_limit"])
        #expect(throws: SourceDataError.self) {
            try SnapshotAssembler(strict: true).assemble(volumeFiles: files, volumeRoot: "/v", variables: [:])
        }
    }

    @Test func malformedMapLinesAreWarnedWithPathLineAndByte() throws {
        let files: [String: [UInt8]] = ["labels": Array("app=\"web\"\nbad line\nz=\"ok\"".utf8)]
        let lenient = try SnapshotAssembler().assemble(volumeFiles: files, volumeRoot: "/v", variables: [:])
        #expect(lenient.snapshot.labels == ["app": "web", "z": "ok"])
        #expect(
            lenient.issues.map(\.description) == [#"/v/labels:2: line has no "=" between key and value at byte 10"#])
        do {
            _ = try SnapshotAssembler(strict: true).assemble(volumeFiles: files, volumeRoot: "/v", variables: [:])
            Issue.record("strict mode accepted a malformed line")
        } catch {
            #expect(error.description == #"/v/labels:2: line has no "=" between key and value at byte 10"#)
        }
    }

    @Test func invalidUTF8BecomesReplacementCharacterWithWarning() throws {
        var files = Self.kubeletVolume
        files["name"] = [0x77, 0xFF, 0x30]
        let assembly = try SnapshotAssembler().assemble(volumeFiles: files, variables: [:])
        #expect(assembly.snapshot.pod.name == "w\u{FFFD}0")
        #expect(assembly.issues.count == 1)
    }

    @Test func handWrittenTrailingNewlinesAreTolerated() throws {
        let files: [String: [UInt8]] = [
            "name": Array("web-0\n".utf8), "cpu_limit": Array("250\n".utf8),
            "labels": Array("a=\"1\"\n".utf8),
        ]
        let snapshot = try SnapshotAssembler().assemble(volumeFiles: files, variables: [:]).snapshot
        #expect(snapshot.pod.name == "web-0")
        #expect(snapshot.limits["cpu"]?.quantity.canonical == "250m")
        #expect(snapshot.labels == ["a": "1"])
    }

    @Test func customPrefixAndNoPrefix() throws {
        let custom = try SnapshotAssembler(environment: EnvironmentSpec(prefix: "K_")).assemble(
            volumeFiles: [:], variables: ["K_NAMESPACE": "ns", "POD_NAMESPACE": "other"]
        ).snapshot
        #expect(custom.pod.namespace == "ns")
        #expect(custom.env == ["K_NAMESPACE": "ns"])
        let none = try SnapshotAssembler(environment: EnvironmentSpec(prefix: "")).assemble(
            volumeFiles: [:], variables: ["POD_NAMESPACE": "x", "PATH": "/bin"]
        ).snapshot
        #expect(none.env.isEmpty, "an empty prefix must not copy the whole environment")
    }
}
