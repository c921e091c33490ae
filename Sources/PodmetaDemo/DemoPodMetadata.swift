/// The labels and annotations of the simulated pod at one moment.
struct DemoPodMetadata: Sendable, Equatable {
    var labels: [String: String]
    var annotations: [String: String]

    /// What changed from `old` to this: labels first, each section in key byte order,
    /// kubelet-local annotations included (the agent publishes them; hooks ignore them).
    func changes(since old: DemoPodMetadata) -> [DemoChange] {
        DemoChange.between(old.labels, labels, section: "labels")
            + DemoChange.between(old.annotations, annotations, section: "annotations")
    }
}
