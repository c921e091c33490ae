@testable import PodmetaCore

/// Snapshots shared by the render, naming and diff tests.
enum RenderFixtures {
    static func quantity(_ text: String) -> Quantity {
        try! Quantity(parsing: text)
    }

    /// The contract's example document.
    static func contractSnapshot() -> PodSnapshot {
        var snapshot = PodSnapshot()
        snapshot.pod.name = "web-0"
        snapshot.pod.namespace = "shop"
        snapshot.pod.uid = "0e2f4a10-5b6c-4d7e-8f90-a1b2c3d4e5f6"
        snapshot.pod.nodeName = "n1"
        snapshot.pod.serviceAccountName = "web"
        snapshot.pod.ip = "10.1.2.3"
        snapshot.pod.ips = ["10.1.2.3", "fd00::3"]
        snapshot.pod.hostIP = "192.168.1.5"
        snapshot.pod.hostIPs = ["192.168.1.5"]
        snapshot.labels = ["app": "web", "app.kubernetes.io/name": "shop"]
        snapshot.annotations = ["example.com/note": "multi\nline"]
        snapshot.limits = [
            "cpu": ResourceReading(
                quantity: quantity("500m"), raw: "500", divisor: quantity("1m"), source: "volume:cpu_limit"),
            "memory": ResourceReading(
                quantity: quantity("128Mi"), raw: "128", divisor: quantity("1Mi"), source: "volume:mem_limit"),
        ]
        snapshot.env = ["POD_NAME": "web-0"]
        return snapshot
    }
}
