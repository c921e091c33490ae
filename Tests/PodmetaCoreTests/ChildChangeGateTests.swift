import Testing

@testable import PodmetaCore

@Suite struct ChildChangeGateTests {
    private static func snapshot(labels: [String: String], annotations: [String: String] = [:]) -> PodSnapshot {
        var snapshot = PodSnapshot()
        snapshot.labels = labels
        snapshot.annotations = annotations
        return snapshot
    }

    private static let start = snapshot(
        labels: ["app": "web", "version": "1"], annotations: ["kubernetes.io/config.seen": "t1"])

    struct Row: Sendable, CustomTestStringConvertible {
        var name: String
        var filters: [String]
        var next: PodSnapshot
        var passes: Bool
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(
            name: "a kubelet-local annotation alone", filters: [],
            next: snapshot(
                labels: ["app": "web", "version": "1"],
                annotations: ["kubernetes.io/config.seen": "t2", "kubernetes.io/config.hash": "h"]),
            passes: false),
        Row(
            name: "a label, no filters", filters: [],
            next: snapshot(labels: ["app": "api", "version": "1"], annotations: ["kubernetes.io/config.seen": "t1"]),
            passes: true),
        Row(
            name: "another annotation, no filters", filters: [],
            next: snapshot(
                labels: ["app": "web", "version": "1"],
                annotations: ["kubernetes.io/config.seen": "t1", "example.com/x": "1"]),
            passes: true),
        Row(
            name: "a label the filter does not select", filters: ["labels/version"],
            next: snapshot(labels: ["app": "api", "version": "1"], annotations: ["kubernetes.io/config.seen": "t1"]),
            passes: false),
        Row(
            name: "the selected label", filters: ["labels/version"],
            next: snapshot(labels: ["app": "web", "version": "2"], annotations: ["kubernetes.io/config.seen": "t1"]),
            passes: true),
        Row(
            name: "a glob over annotations", filters: ["labels/version", "annotations/example.com/*"],
            next: snapshot(
                labels: ["app": "web", "version": "1"],
                annotations: ["kubernetes.io/config.seen": "t1", "example.com/x": "1"]),
            passes: true),
        Row(
            name: "annotations/* still skips the kubelet's own", filters: ["annotations/*"],
            next: snapshot(labels: ["app": "web", "version": "1"], annotations: ["kubernetes.io/config.seen": "t9"]),
            passes: false),
        Row(
            name: "nothing changed", filters: [], next: start, passes: false),
    ]

    @Test(arguments: rows)
    func onlyChangesThatMatterPass(_ row: Row) throws {
        var gate = ChildChangeGate(
            initial: Self.start, filters: try row.filters.map { try ChangeFilter(parsing: $0) })
        let passed = gate.admit(row.next)
        #expect(passed == row.passes)
        #expect(gate.delivered == (row.passes ? row.next : Self.start))
    }

    /// A change held back is not lost: the next change that passes carries it, and only
    /// then does the baseline move.
    @Test func heldBackChangesReachTheChildWithTheNextOneThatPasses() throws {
        var gate = ChildChangeGate(initial: Self.start, filters: [try ChangeFilter(parsing: "labels/version")])
        let held = Self.snapshot(
            labels: ["app": "api", "version": "1"], annotations: ["kubernetes.io/config.seen": "t1"])
        let heldPassed = gate.admit(held)
        #expect(!heldPassed)
        let both = Self.snapshot(
            labels: ["app": "api", "version": "2"], annotations: ["kubernetes.io/config.seen": "t1"])
        let bothPassed = gate.admit(both)
        #expect(bothPassed)
        #expect(gate.delivered == both)
        // The same snapshot again (a resync) is no change.
        let againPassed = gate.admit(both)
        #expect(!againPassed)
    }
}
