import Testing

@testable import PodmetaCore

/// Values a format or execve cannot carry are left out with an issue; the rest is written.
@Suite struct EnvironmentLeftOutTests {
    static let lastApplied = "{\"apiVersion\":\"v1\",\n\"kind\":\"Pod\"}\n"

    static func snapshot(annotations: [String: String]) -> PodSnapshot {
        var snapshot = PodSnapshot()
        snapshot.pod.name = "web-0"
        snapshot.annotations = annotations
        return snapshot
    }

    @Test func aMultiLineAnnotationIsLeftOutOfEnvFileAndTheRestIsWritten() throws {
        let snapshot = Self.snapshot(annotations: [
            "kubectl.kubernetes.io/last-applied-configuration": Self.lastApplied, "team": "a",
        ])
        let (bytes, issues) = try EnvironmentFormat.envFile.render(snapshot, naming: EnvironmentNaming(prefix: "POD_"))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("POD_NAME=web-0\n"))
        #expect(text.contains("POD_ANNOTATION_TEAM=a\n"))
        #expect(!text.contains("LAST_APPLIED"))
        #expect(issues.count == 1)
        let issue = try #require(issues.first)
        #expect(issue.source == "annotations/kubectl.kubernetes.io/last-applied-configuration")
        #expect(
            issue.description
                == "POD_ANNOTATION_KUBECTL_KUBERNETES_IO_LAST_APPLIED_CONFIGURATION (annotations/kubectl.kubernetes.io/last-applied-configuration) is left out of the env-file output because its value spans several lines, which this one-line-per-variable format cannot hold (use the sh or json format for it)"
        )
    }

    @Test func theShFormatCarriesTheMultiLineValue() throws {
        let snapshot = Self.snapshot(annotations: ["kubectl.kubernetes.io/last-applied-configuration": Self.lastApplied]
        )
        let (bytes, issues) = try EnvironmentFormat.sh.render(snapshot, naming: EnvironmentNaming(prefix: "POD_"))
        #expect(issues.isEmpty)
        #expect(String(decoding: bytes, as: UTF8.self).contains("LAST_APPLIED_CONFIGURATION="))
    }

    @Test(arguments: [("\"quoted\"", true), (" padded", true), ("back\\slash", true), ("plain", false)])
    func valuesSystemdReadsDifferentlyAreWrittenWithAWarning(value: String, warned: Bool) throws {
        let (bytes, issues) = try EnvironmentFormat.envFile.render(
            Self.snapshot(annotations: ["note": value]), naming: EnvironmentNaming(prefix: "POD_"))
        #expect(String(decoding: bytes, as: UTF8.self).contains("POD_ANNOTATION_NOTE=\(value)\n"))
        #expect(
            issues
                == (warned ? [.systemdReadsDifferently(name: "POD_ANNOTATION_NOTE", source: "annotations/note")] : []))
    }

    // MARK: execve budget

    static func variable(_ name: String, bytes: Int) -> EnvironmentVariable {
        EnvironmentVariable(name: name, value: String(repeating: "x", count: bytes), source: "annotations/\(name)")
    }

    /// (value bytes of one variable named A, kept)
    @Test(arguments: [
        (131_070 - 2, true),  // "A=" + value = 131,070 bytes, + NUL = 131,071
        (131_071 - 2, true),  // + NUL = 131,072 = MAX_ARG_STRLEN: accepted
        (131_072 - 2, false),  // one more: E2BIG
        (256 << 10, false),
    ])
    func theKernelsPerStringLimit(valueBytes: Int, kept: Bool) {
        let budget = ExecEnvironmentBudget(totalBytes: 100 << 20)
        let (environment, issues) = budget.environment(
            inherited: ["PATH": "/bin"], adding: [Self.variable("A", bytes: valueBytes)], arguments: ["/bin/true"])
        #expect((environment["A"] != nil) == kept)
        #expect(environment["PATH"] == "/bin")
        if !kept {
            #expect(
                issues == [.tooLongForExec(name: "A", source: "annotations/A", bytes: valueBytes + 2, limit: 131_071)])
        }
    }

    @Test func overTheTotalBudgetTheLargestAreLeftOutFirst() {
        // Each variable costs name + "=" + value + NUL + an 8-byte pointer.
        let variables = [
            Self.variable("SMALL", bytes: 100), Self.variable("BIG", bytes: 1000), Self.variable("MID", bytes: 500),
        ]
        let argumentCost = 10 + 1 + 8
        let cost = { (name: String, bytes: Int) in name.utf8.count + 1 + bytes + 1 + 8 }
        let total = argumentCost + cost("SMALL", 100) + cost("BIG", 1000) + cost("MID", 500)
        let budget = ExecEnvironmentBudget(totalBytes: total - 1)
        let (environment, issues) = budget.environment(inherited: [:], adding: variables, arguments: ["/bin/sleep"])
        #expect(Set(environment.keys) == ["SMALL", "MID"])
        #expect(
            issues == [
                .overExecBudget(name: "BIG", source: "annotations/BIG", bytes: cost("BIG", 1000), budget: total - 1)
            ])
        // Everything fits: nothing is left out.
        let roomy = ExecEnvironmentBudget(totalBytes: total)
        #expect(roomy.environment(inherited: [:], adding: variables, arguments: ["/bin/sleep"]).issues.isEmpty)
    }

    @Test func anOverriddenInheritedVariableFallsBackToItsInheritedValue() {
        let budget = ExecEnvironmentBudget(totalBytes: 64)
        let (environment, issues) = budget.environment(
            inherited: ["POD_X": "old"], adding: [Self.variable("POD_X", bytes: 200)], arguments: [])
        #expect(environment == ["POD_X": "old"])
        #expect(issues.count == 1)
    }

    @Test func theBudgetFromArgMaxKeepsHeadroomAndTheKernelCap() {
        #expect(ExecEnvironmentBudget(argMax: 2 << 20).totalBytes == (2 << 20) - ExecEnvironmentBudget.headroom)
        #expect(ExecEnvironmentBudget(argMax: 1 << 30).totalBytes == (6 << 20) - ExecEnvironmentBudget.headroom)
    }

    // MARK: once per key

    @Test func theLedgerReportsAnIssueOncePerKeyUntilItGoesAway() {
        var ledger = IssueLedger()
        let first = EnvironmentIssue.tooLongForExec(name: "A", source: "annotations/a", bytes: 200_000, limit: 131_071)
        let grown = EnvironmentIssue.tooLongForExec(name: "A", source: "annotations/a", bytes: 300_000, limit: 131_071)
        let other = EnvironmentIssue.containsNUL(name: "B", source: "annotations/b")
        #expect(ledger.fresh([first]) == [first])
        #expect(ledger.fresh([first]).isEmpty)
        #expect(ledger.fresh([grown, other]) == [other], "a new size of the same value is not a new issue")
        #expect(ledger.fresh([other]).isEmpty)
        #expect(ledger.fresh([first, other]) == [first], "gone and back: reported again")
    }
}
