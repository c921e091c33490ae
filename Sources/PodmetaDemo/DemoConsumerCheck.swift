import PodmetaCore
import PodmetaProcess
import ServiceLifecycle

/// Shows what each consumer sees of one state of the pod, after checking that it is that
/// state: the JSON file, `GET /v1/labels` on the socket, the sourced env file, and (for a
/// change) the hook's log.
///
/// Each consumer gets until `timeout` after the kubelet's swap; one that shows something
/// else by then fails the run. Polling, not sleeping a fixed time, keeps the demo as fast
/// as the agent.
struct DemoConsumerCheck: Sendable {
    let observer: DemoObserver
    let agent: DemoAgent
    let printer: DemoPrinter
    let timeout: Duration

    private static let pollInterval = Duration.milliseconds(10)
    private static let labelPrefix = "export POD_LABEL_"
    private static let changeCauseVariable =
        "POD_ANNOTATION_" + EnvironmentNaming.namePart("example.com/change-cause")

    /// Checks and shows every consumer's view of `expected`.
    ///
    /// - Parameters:
    ///   - afterRevision: the JSON file must show a higher revision.
    ///   - change: the change's number; nil for the initial state (no hook runs for it).
    ///   - written: when the kubelet's swap happened.
    ///   - changedKeys: label keys to highlight.
    /// - Returns: the JSON file's revision for `expected`.
    func verify(
        expected: DemoPodMetadata, afterRevision: Int64, change: Int?, written: ContinuousClock.Instant,
        changedKeys: Set<String>
    ) async throws(DemoStop) -> Int64 {
        let deadline = written + timeout
        let what = change.map { "change \($0)" } ?? "the initial state"
        let layout = observer.layout
        let late = "\(DurationText.format(timeout)) after " + (change.map { "change \($0)" } ?? "the agent started")

        var lastFile = "no snapshot document"
        let file: JSONFileView = try await waitFor(
            deadline, waiting: "the JSON file to show \(what)",
            failure: {
                "JSON file \(layout.jsonFile): \(late) it shows \(lastFile); expected a revision above \(afterRevision)"
            }
        ) { () async -> JSONFileView? in
            guard let view = observer.jsonFile() else { return nil }
            lastFile = "revision \(view.revision)" + Self.mismatch(view.labels, expected.labels)
            return view.revision > afterRevision && view.labels == expected.labels ? view : nil
        }
        printer.entry(
            "JSON file", "\(layout.jsonFile): revision \(file.revision), \(seen(since: written, change: change))")
        printer.block(file.excerpt, indent: 4, highlight: jsonHighlighter(changedKeys))

        var lastSocket = "no answer"
        let socket: SocketLabelsView = try await waitFor(
            deadline, waiting: "the socket to show \(what)",
            failure: {
                "socket \(layout.socket): \(late) GET /v1/labels gives \(lastSocket)"
            }
        ) { () async -> SocketLabelsView? in
            guard let view = observer.socketLabels() else { return nil }
            lastSocket = "status \(view.status)" + (view.labels.map { Self.mismatch($0, expected.labels) } ?? "")
            return view.status == 200 && view.labels == expected.labels ? view : nil
        }
        printer.entry("socket", "GET /v1/labels, \(seen(since: written, change: change))")
        printer.command(
            "curl --unix-socket \(DemoShellQuoting.word(layout.socket)) http://localhost/v1/labels", indent: 4)
        printer.line(
            printer.styled("(HTTP \(socket.status), X-Podmeta-Revision: \(socket.revision ?? "none"))", .dim), indent: 4
        )
        printer.block(socket.body, indent: 4, highlight: jsonHighlighter(changedKeys))

        let expectedLines = Set(
            expected.labels.map { key, value in
                Self.labelPrefix + EnvironmentNaming.namePart(key) + "=" + ShellExportRenderer.quoted(value)
            })
        var lastEnv = "not been written"
        let lines: [String] = try await waitFor(
            deadline, waiting: "the env file to show \(what)",
            failure: {
                "env file \(layout.envFile): \(late) it has \(lastEnv)"
            }
        ) { () async -> [String]? in
            guard
                let lines = observer.envFileLines(prefixes: [Self.labelPrefix, "export \(Self.changeCauseVariable)="])
            else {
                return nil
            }
            let labelLines = Set(lines.filter { $0.hasPrefix(Self.labelPrefix) })
            let extra = labelLines.subtracting(expectedLines).sorted(),
                missing = expectedLines.subtracting(labelLines).sorted()
            lastEnv = "[" + extra.joined(separator: "; ") + "] instead of [" + missing.joined(separator: "; ") + "]"
            return labelLines == expectedLines ? lines : nil
        }
        printer.entry("env file", "\(layout.envFile), \(seen(since: written, change: change))")
        let highlighted = Set(changedKeys.map { Self.labelPrefix + EnvironmentNaming.namePart($0) + "=" })
        printer.block(lines.joined(separator: "\n"), indent: 4) { line in
            highlighted.contains { line.hasPrefix($0) }
        }
        let version = expected.labels["version"] ?? "", canary = expected.labels["canary"] ?? ""
        let wanted = "version=\(version) canary=\(canary)"
        let sourced = await observer.sourceEnvFile(printing: [
            ("version", "POD_LABEL_VERSION"), ("canary", "POD_LABEL_CANARY"),
        ])
        guard let sourced, sourced.output == wanted else {
            throw .failed(
                "env file \(layout.envFile): a shell that sources it sees \(sourced.map { "\"\($0.output)\"" } ?? "an error"), expected \"\(wanted)\""
            )
        }
        printer.command(sourced.command, indent: 4)
        printer.line(sourced.output, indent: 4)

        if let change {
            try await verifyHook(
                revision: file.revision, version: version, change: change, deadline: deadline, written: written,
                late: late)
        }
        return file.revision
    }

    /// The hook must have logged a run for `revision` (or a later one, if runs were
    /// coalesced) whose changes include the new version.
    private func verifyHook(
        revision: Int64, version: String, change: Int, deadline: ContinuousClock.Instant,
        written: ContinuousClock.Instant,
        late: String
    ) async throws(DemoStop) {
        let layout = observer.layout
        var lastHook = "no run"
        let record: HookRecord = try await waitFor(
            deadline, waiting: "the hook to run for change \(change)",
            failure: {
                "hook: \(late) \(layout.hookLog) has \(lastHook); expected a run for revision \(revision)"
            }
        ) { () async -> HookRecord? in
            let records = observer.hookRecords()
            if let latest = records.last { lastHook = "its last run for revision \(latest.revision)" }
            return records.last { $0.revision >= revision }
        }
        guard record.changes.contains(where: { $0.path == "labels/version" && $0.new == version }) else {
            throw .failed(
                "hook: the run for revision \(record.revision) got changes \(record.changes.map(\.path)), without labels/version -> \"\(version)\""
            )
        }
        printer.entry(
            "hook",
            "--on-change ran for revision \(record.revision), \(seen(since: written, change: change)); it logged:")
        printer.line(record.environmentLine, indent: 4)
        printer.line(
            printer.styled(
                "stdin: {\"revision\": \(record.revision), \"previousRevision\": \(record.previousRevision), \"changes\": [...], \"snapshot\": {...}}, with changes:",
                .dim),
            indent: 4)
        printer.changes(record.changes, indent: 6)
    }

    /// The JSON file's resources: each volume integer times its item's divisor, which
    /// must give back the pod spec's quantities.
    func showResources(expected: [ResourceBound: [String: String]]) throws(DemoStop) {
        let layout = observer.layout
        guard let file = observer.jsonFile() else { throw .failed("JSON file \(layout.jsonFile): unreadable") }
        var shown: [String] = []
        for bound in [ResourceBound.limits, .requests] {
            for (name, quantity) in (expected[bound] ?? [:]).sorted(by: { $0.key < $1.key }) {
                let seen = file.resources[bound.rawValue]?[name]
                guard seen == quantity else {
                    throw .failed(
                        "JSON file \(layout.jsonFile): resources.\(bound.rawValue).\(name) is \(seen ?? "absent"), expected \(quantity)"
                    )
                }
                shown.append("\(bound.rawValue).\(name) \(quantity)")
            }
        }
        printer.entry("JSON file", "resources: each file's integer times its item's divisor")
        printer.line(shown.joined(separator: ", "), indent: 4)
    }

    /// One annotation through the socket, decoded from the kubelet's Go quoting.
    func showDecodedAnnotation(key: String, expected: String) async throws(DemoStop) {
        let layout = observer.layout
        let target = "/v1/annotations/\(key)?raw"
        var last = "no answer"
        let body: String = try await waitFor(
            ContinuousClock.now + timeout, waiting: "the socket to answer \(target)",
            failure: {
                "socket \(layout.socket): GET \(target) gave \(last) after \(DurationText.format(timeout)), expected \(DemoPrinter.quoted(expected, limit: 200))"
            }
        ) { () async -> String? in
            guard let answer = observer.socketText(target) else { return nil }
            last = "status \(answer.status): \(DemoPrinter.quoted(answer.body, limit: 200))"
            // Bytes, not String ==: canonically equivalent text is still a different value.
            return answer.status == 200 && answer.body.utf8.elementsEqual(expected.utf8) ? answer.body : nil
        }
        printer.entry("socket", "\(key), decoded (?raw: the bare value, no JSON):")
        printer.command(
            "curl --unix-socket \(DemoShellQuoting.word(layout.socket)) \(DemoShellQuoting.word("http://localhost" + target))",
            indent: 4)
        printer.block(body, indent: 4)
    }

    // MARK: - Helpers

    /// Polls `probe` until it returns a value; fails at `deadline` with `failure()`, at once
    /// when the agent has exited (saying it was `waiting` for something), and stops quietly
    /// on a graceful shutdown.
    private func waitFor<T>(
        _ deadline: ContinuousClock.Instant, waiting: String, failure: () -> String, probe: () async -> T?
    ) async throws(DemoStop) -> T {
        while true {
            if let value = await probe() { return value }
            if let status = agent.child.exitStatus {
                throw .failed("the agent ended (\(status)) while the demo waited for \(waiting)")
            }
            if Task.isShuttingDownGracefully { throw .interrupted }
            if ContinuousClock.now >= deadline { throw .failed(failure()) }
            try? await Task.sleep(for: Self.pollInterval)
        }
    }

    private func seen(since written: ContinuousClock.Instant, change: Int?) -> String {
        "seen \(DurationLogText.render(ContinuousClock.now - written)) after "
            + (change == nil ? "the agent started" : "the kubelet's write")
    }

    private func jsonHighlighter(_ keys: Set<String>) -> (String) -> Bool {
        let needles = keys.map { JSONRenderer(style: .compact).string(.string($0)) + ":" }
        return { line in needles.contains { line.contains($0) } }
    }

    /// `, labels version="2" (expected "3"), experiment absent (expected "blue")`, or "".
    static func mismatch(_ seen: [String: String], _ expected: [String: String]) -> String {
        let differences = DemoChange.between(expected, seen, section: "labels").map { difference in
            let got = difference.new.map { DemoPrinter.quoted($0) } ?? "absent"
            let want = difference.old.map { DemoPrinter.quoted($0) } ?? "absent"
            return "\(difference.key)=\(got) (expected \(want))"
        }
        return differences.isEmpty ? "" : ", labels " + differences.joined(separator: ", ")
    }
}
