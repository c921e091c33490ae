import Testing

/// Every link of the user reference (README.md and docs/) and of the documents that point
/// into it resolves inside the repository: a renamed page or heading fails here, not in a
/// reader's browser, and nothing links to a path a clone does not have.
@Suite struct DocumentationLinkTests {
    static let documents = RepositoryDocuments.reference + RepositoryDocuments.linking

    @Test func theReferenceHasItsPages() {
        #expect(RepositoryDocuments.reference.count > 1, "docs/ holds no page")
    }

    @Test(arguments: documents)
    func everyRelativeLinkResolves(_ document: String) throws {
        let text = try #require(RepositoryDocuments.text(document), "\(document) not found")
        let directory = document.contains("/") ? String(document[..<document.lastIndex(of: "/")!]) : ""
        for link in MarkdownLinks.targets(in: text) {
            if link.contains("://") || link.hasPrefix("mailto:") {
                // The reference stands alone; the other documents may cite the world.
                #expect(
                    !RepositoryDocuments.reference.contains(document),
                    "\(document) links outside the repository: \(link)")
                continue
            }
            let (path, fragment) = MarkdownLinks.split(link)
            let target = path.isEmpty ? document : MarkdownLinks.resolve(path, from: directory)
            guard let target else {
                Issue.record("\(document): \(link) leaves the repository")
                continue
            }
            #expect(RepositoryDocuments.exists(target), "\(document): \(link) names a missing \(target)")
            if let fragment, target.hasSuffix(".md"), let page = RepositoryDocuments.text(target) {
                #expect(
                    MarkdownLinks.anchors(in: page).contains(fragment),
                    "\(document): \(link) names no heading of \(target)")
            }
        }
    }

    @Test(arguments: [
        ("## `podmeta agent`", "podmeta-agent"),
        ("## Exec: signal or restart the child", "exec-signal-or-restart-the-child"),
        ("### `podmeta health` and `podmeta demo`", "podmeta-health-and-podmeta-demo"),
        ("# Sources and the snapshot document", "sources-and-the-snapshot-document"),
    ])
    func anchorsAreGitHubs(_ heading: String, _ anchor: String) {
        #expect(MarkdownLinks.anchors(in: heading + "\n") == [anchor])
    }

    @Test func linksInCodeAreNotLinks() {
        let text = "[a](one.md) `[b](two.md)`\n```\n[c](three.md)\n```\n[d](four.md#x)\n"
        #expect(MarkdownLinks.targets(in: text) == ["one.md", "four.md#x"])
    }

    @Test func aPathMayNotClimbOutOfTheRepository() {
        #expect(MarkdownLinks.resolve("../README.md", from: "docs") == "README.md")
        #expect(MarkdownLinks.resolve("../../shared/spec/contract.md", from: "docs") == nil)
        #expect(MarkdownLinks.resolve("../shared/spec/contract.md", from: "") == nil)
    }
}
