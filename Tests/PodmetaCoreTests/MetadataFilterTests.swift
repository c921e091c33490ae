import Testing

@testable import PodmetaCore

@Suite struct MetadataFilterTests {
    /// (include, exclude, key, kept)
    static let rules: [([String], [String], String, Bool)] = [
        ([], [], "anything", true),
        (["app"], [], "app", true),
        (["app"], [], "app2", false),
        (["app*"], [], "app2", true),
        (["example.com/*"], [], "example.com/team", true),
        (["example.com/*"], [], "other.io/team", false),
        (["*"], [], "x", true),
        ([], ["kubectl.kubernetes.io/*"], "kubectl.kubernetes.io/last-applied-configuration", false),
        ([], ["kubectl.kubernetes.io/*"], "kubernetes.io/config.seen", true),
        // `*` crosses `/`: a prefix pattern covers every domain below it.
        ([], ["*.example.com/*"], "ci.example.com/build", false),
        ([], ["*.example.com/*"], "example.com/build", true),
        // Exclude wins over include.
        (["example.com/*"], ["example.com/secret"], "example.com/secret", false),
        (["example.com/*"], ["example.com/secret"], "example.com/public", true),
        // Several includes: any one keeps the key.
        (["a", "b"], [], "b", true),
        (["a", "b"], [], "c", false),
        (["?"], [], "ab", false),
        (["a?"], [], "ab", true),
    ]

    @Test(arguments: rules)
    func annotationRule(include: [String], exclude: [String], key: String, kept: Bool) throws {
        let filter = try MetadataFilter(includeAnnotations: include, excludeAnnotations: exclude)
        #expect(filter.keepsAnnotation(key) == kept)
        // The other section is untouched by annotation patterns.
        #expect(filter.keepsLabel(key))
    }

    @Test(arguments: rules)
    func labelRule(include: [String], exclude: [String], key: String, kept: Bool) throws {
        let filter = try MetadataFilter(includeLabels: include, excludeLabels: exclude)
        #expect(filter.keepsLabel(key) == kept)
        #expect(filter.keepsAnnotation(key))
    }

    @Test func applyFiltersLabelsAndAnnotationsOnly() throws {
        var snapshot = PodSnapshot()
        snapshot.pod.name = "web-0"
        snapshot.labels = ["app": "web", "pod-template-hash": "abc"]
        snapshot.annotations = ["kubectl.kubernetes.io/last-applied-configuration": "{}\n", "team": "a"]
        snapshot.env = ["POD_X": "1"]
        let filter = try MetadataFilter(
            excludeLabels: ["pod-template-hash"], excludeAnnotations: ["kubectl.kubernetes.io/*"])
        let filtered = filter.apply(to: snapshot)
        #expect(filtered.labels == ["app": "web"])
        #expect(filtered.annotations == ["team": "a"])
        #expect(filtered.pod == snapshot.pod)
        #expect(filtered.env == snapshot.env)
        #expect(MetadataFilter.none.apply(to: snapshot) == snapshot)
        #expect(MetadataFilter.none.isEmpty && !filter.isEmpty)
    }

    @Test(arguments: [
        ("include-label", [""], [String](), [String](), [String]()),
        ("exclude-label", [], [""], [], []),
        ("include-annotation", [], [], ["a", ""], []),
        ("exclude-annotation", [], [], [], [""]),
    ])
    func anEmptyPatternIsRefused(
        option: String, includeLabels: [String], excludeLabels: [String], includeAnnotations: [String],
        excludeAnnotations: [String]
    ) {
        #expect(throws: MetadataFilterError(option: option)) {
            try MetadataFilter(
                includeLabels: includeLabels, excludeLabels: excludeLabels, includeAnnotations: includeAnnotations,
                excludeAnnotations: excludeAnnotations)
        }
    }

    @Test func theAssemblerAppliesTheFilterToTheMergedSnapshot() throws {
        let assembler = SnapshotAssembler(filter: try MetadataFilter(includeAnnotations: ["team"]))
        let assembly = try assembler.assemble(
            volumeFiles: [
                "annotations": Array("big=\"xxxx\"\nteam=\"a\"\n".utf8), "labels": Array("app=\"web\"".utf8),
            ],
            variables: [:])
        #expect(assembly.snapshot.annotations == ["team": "a"])
        #expect(assembly.snapshot.labels == ["app": "web"])
    }
}
