import PodmetaCore
import PodmetaIO

/// The simulated pod and how its metadata changes, the way a rollout tool or an operator
/// relabelling a pod would: every change bumps `version`, flips `canary`, rewrites the
/// `example.com/change-cause` annotation and (as the kubelet does whenever it sees a new pod
/// spec) `kubernetes.io/config.seen`; every third change adds the label `experiment`, the
/// one after removes it again.
///
/// The state after change `n` depends on `n` alone (and the config.seen time), so a run
/// can be resumed or checked at any step.
enum DemoScenario {
    static let name = "web-7d4b9c8f5-x2k9q"
    static let namespace = "shop"
    static let uid = "3f6c1b9e-8d2a-4c57-9e1f-6a0b7d4c2e15"

    /// The container's resources (what the kubelet divides by each item's divisor).
    static let resources: [ResourceBound: [String: String]] = [
        .limits: ["cpu": "500m", "memory": "128Mi"],
        .requests: ["cpu": "250m", "memory": "64Mi"],
    ]

    /// Values the agent reads from its environment (`POD_*`), as a pod spec would set them
    /// with fieldRef; the volume has none of these fields.
    static let environment: [String: String] = [
        "POD_NODE_NAME": "node-a1",
        "POD_IP": "10.244.1.17",
        "POD_SERVICE_ACCOUNT": "web",
    ]

    /// An annotation that is awkward on purpose: quotes, a tab, a backslash, non-ASCII text,
    /// several lines and a trailing newline (a YAML `|` block scalar), as Helm charts and
    /// deploy tools write them. The kubelet's file holds it as one Go-quoted line.
    static let releaseNotes = """
        Release 1.4 "Aurora":
        \t- faster checkout
        \t- tags match ^v[0-9]+\\.[0-9]+$
        Owner: Zoë Ångström <zoe@example.com> ✓

        """

    /// The metadata after `change` changes (0: the initial state).
    static func metadata(afterChange change: Int, configSeen: String) -> DemoPodMetadata {
        var labels = [
            "app": "web",
            "app.kubernetes.io/name": "shop-frontend",
            "app.kubernetes.io/part-of": "shop",
            "pod-template-hash": "7d4b9c8f5",
            "tier": "frontend",
            "version": version(afterChange: change),
            "canary": canary(afterChange: change),
        ]
        if change % 3 == 2 { labels["experiment"] = "blue" }
        let annotations = [
            "example.com/change-cause": changeCause(afterChange: change),
            "example.com/release-notes": releaseNotes,
            "kubernetes.io/config.seen": configSeen,
            "kubernetes.io/config.source": "api",
        ]
        return DemoPodMetadata(labels: labels, annotations: annotations)
    }

    /// The `version` label after `change` changes.
    static func version(afterChange change: Int) -> String { String(change + 1) }

    /// The `canary` label after `change` changes.
    static func canary(afterChange change: Int) -> String { change % 2 == 1 ? "true" : "false" }

    private static func changeCause(afterChange change: Int) -> String {
        if change == 0 { return "initial rollout: version 1" }
        return "rollout #\(change): version \(change + 1)" + (change % 2 == 1 ? " as a canary" : "")
    }

    /// The volume's files for `metadata`, one per item of `items` (by default the items
    /// the agent assumes when given no `--item`): maps formatted as the kubelet's
    /// FormatMap, resources divided by the item's divisor and rounded up.
    static func payload(_ metadata: DemoPodMetadata, items: [VolumeItem] = VolumeItem.defaults) -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for item in items {
            switch item.field {
            case .pod(.labels): files[item.path] = KubeletMapFormat.format(metadata.labels)
            case .pod(.annotations): files[item.path] = KubeletMapFormat.format(metadata.annotations)
            case .pod(.name): files[item.path] = Array(name.utf8)
            case .pod(.namespace): files[item.path] = Array(namespace.utf8)
            case .pod(.uid): files[item.path] = Array(uid.utf8)
            case .pod(.label(let key)): files[item.path] = Array((metadata.labels[key] ?? "").utf8)
            case .pod(.annotation(let key)): files[item.path] = Array((metadata.annotations[key] ?? "").utf8)
            case .resource(let reference):
                guard let text = resources[reference.bound]?[reference.resource],
                    let quantity = try? Quantity(parsing: text),
                    let value = DownwardAPIResource.fileValue(
                        of: quantity, resource: reference.resource, divisor: reference.divisor)
                else { continue }
                files[item.path] = Array(String(value).utf8)
            case .pod:
                // Node, IPs and service account are env-only in the Downward API.
                continue
            }
        }
        return files
    }
}
