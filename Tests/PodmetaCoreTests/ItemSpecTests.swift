import Testing

@testable import PodmetaCore

@Suite struct ItemSpecTests {
    @Test(arguments: [
        ("labels=metadata.labels", "labels", "metadata.labels"),
        ("sub/app=metadata.labels['app']", "sub/app", "metadata.labels['app']"),
        ("note=metadata.annotations[\"example.com/note\"]", "note", "metadata.annotations['example.com/note']"),
        ("ip=status.podIP", "ip", "status.podIP"),
        ("cpu=limits.cpu@1m", "cpu", "limits.cpu@1m"),
        ("cpu=limits.cpu@1m:app", "cpu", "limits.cpu@1m:app"),
        ("mem=requests.memory:app", "mem", "requests.memory:app"),
        ("hp=limits.hugepages-2Mi@1Mi", "hp", "limits.hugepages-2Mi@1Mi"),
        ("eph=limits.ephemeral-storage@1Gi", "eph", "limits.ephemeral-storage@1Gi"),
        ("weird=limits.cpu@0", "weird", "limits.cpu@0"),
    ])
    func parsesVolumeItems(spec: String, path: String, field: String) throws {
        let item = try VolumeItem(parsing: spec)
        #expect(item.path == path)
        #expect(item.field.specText == field)
    }

    @Test(arguments: [
        ("labels", "expected PATH=FIELD"),
        ("=metadata.labels", "the path is empty"),
        ("/abs=metadata.labels", "relative"),
        ("..data=metadata.labels", "belong to the kubelet"),
        ("a/../b=metadata.labels", "'..' elements"),
        ("x=metadata.nope", "unknown field"),
        ("x=limits.cpu@1Mi", "divisor"),
        ("x=limits.memory@2Mi", "divisor"),
        ("x=limits.cpu@banana", "not a quantity"),
        ("x=limits.nvidia.com/gpu", "not available through the downward API"),
        ("x=metadata.labels@1m", "resources only"),
        ("x=limits.cpu:", "container name"),
        ("x=metadata.labels['']", "unknown field"),
    ])
    func rejectsBadVolumeItems(spec: String, reasonContains: String) {
        do {
            _ = try VolumeItem(parsing: spec)
            Issue.record("\(spec) was accepted")
        } catch {
            #expect(error.description.contains(reasonContains), "\(error)")
            #expect(error.description.contains(spec))
        }
    }

    @Test func defaultsFollowTheKubernetesDocumentationExample() {
        let specs = VolumeItem.defaults.map { "\($0.path)=\($0.field.specText)" }
        #expect(
            specs == [
                "labels=metadata.labels", "annotations=metadata.annotations", "name=metadata.name",
                "namespace=metadata.namespace", "uid=metadata.uid", "cpu_limit=limits.cpu@1m",
                "cpu_request=requests.cpu@1m", "mem_limit=limits.memory@1Mi", "mem_request=requests.memory@1Mi",
            ])
    }

    @Test(arguments: [
        ("ZONE=metadata.labels['topology.kubernetes.io/zone']", "ZONE"),
        ("MY_CPU=limits.cpu@1", "MY_CPU"),
    ])
    func parsesEnvironmentItems(spec: String, name: String) throws {
        #expect(try EnvironmentItem(parsing: spec).name == name)
    }

    @Test(arguments: ["=metadata.name", "A-B=metadata.name", "NAME", "X=foo"])
    func rejectsBadEnvironmentItems(spec: String) {
        #expect(throws: ItemSpecError.self) { try EnvironmentItem(parsing: spec) }
    }
}
