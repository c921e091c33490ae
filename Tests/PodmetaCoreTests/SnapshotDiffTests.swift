import Testing

@testable import PodmetaCore

@Suite struct SnapshotDiffTests {
    private func snapshot(labels: [String: String] = [:], annotations: [String: String] = [:]) -> PodSnapshot {
        var snapshot = PodSnapshot()
        snapshot.labels = labels
        snapshot.annotations = annotations
        return snapshot
    }

    @Test func addedRemovedAndChangedAreSortedBySectionThenKeyBytes() {
        let old = snapshot(
            labels: ["version": "1", "gone": "x", "same": "s", "Z": "z"],
            annotations: ["x": "1", "kubernetes.io/config.seen": "t1"])
        let new = snapshot(
            labels: ["version": "2", "same": "s", "added": "a", "Z": "z2"],
            annotations: ["x": "1", "kubernetes.io/config.seen": "t2", "example.com/new": ""])
        let diff = SnapshotDiff(from: old, to: new)
        #expect(
            diff.changes == [
                MetadataChange(section: .labels, key: "Z", old: "z", new: "z2"),
                MetadataChange(section: .labels, key: "added", old: nil, new: "a"),
                MetadataChange(section: .labels, key: "gone", old: "x", new: nil),
                MetadataChange(section: .labels, key: "version", old: "1", new: "2"),
                MetadataChange(section: .annotations, key: "example.com/new", old: nil, new: ""),
                MetadataChange(section: .annotations, key: "kubernetes.io/config.seen", old: "t1", new: "t2"),
            ])
        #expect(
            SnapshotDiff.changedText(diff.changes)
                == "labels/Z labels/added labels/gone labels/version annotations/example.com/new annotations/kubernetes.io/config.seen"
        )
        #expect(
            diff.firingChanges.map(\.path) == [
                "labels/Z", "labels/added", "labels/gone", "labels/version", "annotations/example.com/new",
            ])
    }

    @Test func identicalMetadataIsNoChangeWhateverElseDiffers() {
        var a = RenderFixtures.contractSnapshot()
        var b = a
        b.pod.name = "other"
        b.limits = [:]
        a.env = [:]
        #expect(SnapshotDiff(from: a, to: b).isEmpty)
        #expect(SnapshotDiff.changedText([]) == "")
    }

    @Test func canonicallyEquivalentValuesAreStillAChange() {
        let diff = SnapshotDiff(
            from: snapshot(annotations: ["a": "caf\u{E9}"]), to: snapshot(annotations: ["a": "cafe\u{301}"]))
        #expect(diff.changes == [MetadataChange(section: .annotations, key: "a", old: "caf\u{E9}", new: "cafe\u{301}")])
    }

    @Test func anEmptyValueIsNotAnAbsentOne() {
        let diff = SnapshotDiff(from: snapshot(labels: ["k": ""]), to: snapshot(labels: [:]))
        #expect(diff.changes == [MetadataChange(section: .labels, key: "k", old: "", new: nil)])
    }

    @Test func firstSnapshotAddsEverything() {
        let diff = SnapshotDiff(from: PodSnapshot(), to: RenderFixtures.contractSnapshot())
        #expect(
            diff.changes.map(\.path) == ["labels/app", "labels/app.kubernetes.io/name", "annotations/example.com/note"])
        #expect(diff.changes.allSatisfy { $0.old == nil && $0.new != nil })
    }

    @Test(arguments: [
        ("kubernetes.io/config.seen", true), ("kubernetes.io/config.source", true), ("kubernetes.io/config.hash", true),
        ("kubernetes.io/config.mirror", false), ("example.com/config.seen", false),
    ])
    func kubeletLocalAnnotationsDoNotFire(key: String, local: Bool) {
        let change = MetadataChange(section: .annotations, key: key, old: "a", new: "b")
        #expect(SnapshotDiff.isKubeletLocal(change) == local)
        #expect(SnapshotDiff(changes: [change]).firingChanges.isEmpty == local)
        #expect(!SnapshotDiff.isKubeletLocal(MetadataChange(section: .labels, key: key, old: "a", new: "b")))
    }

    @Test func onlyKubeletBookkeepingChangedFiresNothing() {
        let old = snapshot(annotations: ["kubernetes.io/config.seen": "1", "kubernetes.io/config.hash": "a"])
        let new = snapshot(annotations: ["kubernetes.io/config.seen": "2", "kubernetes.io/config.source": "api"])
        let diff = SnapshotDiff(from: old, to: new)
        #expect(diff.changes.count == 3)
        #expect(diff.firingChanges.isEmpty)
    }

    @Test(arguments: [
        (
            MetadataChange(section: .labels, key: "v", old: nil, new: "2"),
            #"{"key":"v","new":"2","section":"labels"}"#, "labels/v added"
        ),
        (
            MetadataChange(section: .annotations, key: "a/b", old: "1", new: nil),
            #"{"key":"a/b","old":"1","section":"annotations"}"#, "annotations/a/b removed"
        ),
        (
            MetadataChange(section: .labels, key: "v", old: "1", new: "2"),
            #"{"key":"v","new":"2","old":"1","section":"labels"}"#, "labels/v changed"
        ),
    ])
    func changeJSONOmitsAbsentSides(change: MetadataChange, json: String, description: String) {
        #expect(JSONRenderer(style: .compact).string(change.jsonValue) == json)
        #expect(change.description == description)
    }
}

@Suite struct ChangeFilterTests {
    private func change(_ section: MetadataChange.Section, _ key: String) -> MetadataChange {
        MetadataChange(section: section, key: key, old: nil, new: "x")
    }

    @Test(arguments: [
        ("labels/version", MetadataChange.Section.labels, "version", true),
        ("labels/version", .labels, "versions", false),
        ("labels/version", .annotations, "version", false),
        ("labels/*", .labels, "anything/at.all", true),
        ("labels/*", .annotations, "x", false),
        ("annotations/example.com/*", .annotations, "example.com/note", true),
        ("annotations/example.com/*", .annotations, "example.com/", true),
        ("annotations/example.com/*", .annotations, "example.org/note", false),
        ("annotations/*.example.com/*", .annotations, "a.b.example.com/c", true),
        ("annotations/*.example.com/*", .annotations, "example.com/c", false),
        ("labels/app.kubernetes.io/?ame", .labels, "app.kubernetes.io/name", true),
        ("labels/app.kubernetes.io/?ame", .labels, "app.kubernetes.io/ame", false),
        ("labels/v?", .labels, "vé", true),
        ("labels/*a*b*c*", .labels, "xxaxxbxxcxx", true),
        ("labels/*a*b*c*", .labels, "xxaxxcxxbxx", false),
        ("labels/a*", .labels, "a", true),
        ("labels/**", .labels, "", true),
        ("labels/x.y", .labels, "xzy", false),
        ("labels/[ab]", .labels, "[ab]", true),
    ])
    func matching(filter: String, section: MetadataChange.Section, key: String, expected: Bool) throws {
        let parsed = try ChangeFilter(parsing: filter)
        #expect(parsed.matches(change(section, key)) == expected)
        #expect(parsed.description == filter)
    }

    @Test(arguments: [
        ("labels", "expected labels/KEY or annotations/KEY (KEY may use * and ?)"),
        ("pod/name", "unknown section \"pod\", expected labels or annotations"),
        ("Labels/x", "unknown section \"Labels\", expected labels or annotations"),
        ("*/x", "unknown section \"*\", expected labels or annotations"),
        ("labels/", "the key pattern is empty; use labels/* for every key"),
    ])
    func invalidFilters(filter: String, reason: String) {
        #expect(throws: ChangeFilterError(filter: filter, reason: reason)) { try ChangeFilter(parsing: filter) }
    }

    @Test func errorDescription() {
        #expect(
            ChangeFilterError(filter: "pod/name", reason: "unknown section \"pod\", expected labels or annotations")
                .description
                == #"invalid on: filter "pod/name": unknown section "pod", expected labels or annotations"#)
    }

    @Test func matchesAny() throws {
        let filter = try ChangeFilter(parsing: "labels/version")
        #expect(filter.matchesAny([change(.annotations, "version"), change(.labels, "version")]))
        #expect(!filter.matchesAny([change(.annotations, "version")]))
        #expect(!filter.matchesAny([]))
    }

    @Test func pathologicalPatternsStayFast() throws {
        // Exponential backtracking would never finish this; the single-star-resume matcher is
        // linear per star.
        let filter = try ChangeFilter(parsing: "labels/" + String(repeating: "*a", count: 30) + "b")
        #expect(!filter.matches(change(.labels, String(repeating: "a", count: 200))))
    }

    @Test func globIsLiteralWithoutWildcards() {
        #expect(KeyGlob("a.b/c").isLiteral)
        #expect(!KeyGlob("a*").isLiteral)
        #expect(!KeyGlob("a?").isLiteral)
    }
}

@Suite struct HookInputTests {
    @Test func stdinIsCompactJSONWithTheSnapshotAtTheRevision() throws {
        var snapshot = PodSnapshot()
        snapshot.pod.name = "web-0"
        snapshot.labels = ["version": "2"]
        let input = HookInput(
            revision: 8, previousRevision: 7,
            changes: [MetadataChange(section: .labels, key: "version", old: "1", new: "2")], snapshot: snapshot)
        let text = String(decoding: input.stdin(), as: UTF8.self)
        #expect(
            text
                == #"{"changes":[{"key":"version","new":"2","old":"1","section":"labels"}],"previousRevision":7,"revision":8,"snapshot":{"annotations":{},"apiVersion":"podmeta/v1","env":{},"labels":{"version":"2"},"pod":{"name":"web-0"},"resources":{"limits":{},"requests":{}},"revision":8}}"#
                + "\n")
        let parsed = try JSONParser.parse(Array(text.utf8))
        #expect(try PodSnapshot(document: parsed["snapshot"]!) == snapshot)
        #expect(input.environment == ["PODMETA_REVISION": "8", "PODMETA_CHANGED": "labels/version"])
    }

    @Test func environmentListsEveryChangeSpaceSeparated() {
        let diff = SnapshotDiff(
            from: PodSnapshot(),
            to: {
                var s = PodSnapshot()
                s.labels = ["version": "1"]
                s.annotations = ["x": "y"]
                return s
            }())
        let input = HookInput(revision: 1, previousRevision: 0, changes: diff.changes, snapshot: PodSnapshot())
        #expect(input.environment["PODMETA_CHANGED"] == "labels/version annotations/x")
    }

    /// Before, 2000 annotations with 100-byte keys made PODMETA_CHANGED about 230 KiB and
    /// every hook failed to start (E2BIG).
    @Test func aHugeChangeListIsCutAtAKeyBelowTheKernelLimit() {
        let changes = (0..<2000).map { index in
            MetadataChange(
                section: .annotations, key: String(repeating: "k", count: 95) + "\(10000 + index)", old: nil, new: "v")
        }
        let input = HookInput(revision: 2, previousRevision: 1, changes: changes, snapshot: PodSnapshot())
        let environment = input.environment
        let changed = environment["PODMETA_CHANGED"] ?? ""
        #expect("PODMETA_CHANGED=".utf8.count + changed.utf8.count + 1 <= HookInput.environmentStringLimit)
        #expect(changed.utf8.count > HookInput.environmentStringLimit - 200)
        #expect(environment["PODMETA_CHANGED_TRUNCATED"] == "1")
        let paths = changed.split(separator: " ").map(String.init)
        #expect(paths == Array(changes.map(\.path).prefix(paths.count)), "a key was cut in the middle")
        #expect(input.environment["PODMETA_REVISION"] == "2")
    }

    @Test func aShortChangeListIsNotMarkedTruncated() {
        let input = HookInput(
            revision: 2, previousRevision: 1,
            changes: [MetadataChange(section: .labels, key: "a", old: nil, new: "b")], snapshot: PodSnapshot())
        #expect(input.environment["PODMETA_CHANGED_TRUNCATED"] == nil)
    }
}
