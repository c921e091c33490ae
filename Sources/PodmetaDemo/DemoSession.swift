import PodmetaCore
import PodmetaIO
import PodmetaProcess
import ServiceLifecycle

/// One run of `podmeta demo`: set up the volume, start the agent, make the changes, show
/// and check what every consumer sees, then stop the agent and clean up.
///
/// Runs inside a ServiceGroup that turns SIGINT and SIGTERM into a graceful shutdown, so a
/// Ctrl-C at any point (setup included) ends in the same cleanup.
package struct DemoSession: Sendable {
    let settings: DemoSettings
    let printer: DemoPrinter

    package init(settings: DemoSettings) {
        self.settings = settings
        self.printer = DemoPrinter(colors: settings.colors)
    }

    /// Never throws: everything that goes wrong becomes the outcome, after cleanup.
    func run() async -> DemoOutcome {
        let layout: DemoLayout
        do {
            layout = try DemoLayout.prepare(
                volume: settings.volume, outputDirectory: settings.outputDirectory, socket: settings.socket)
        } catch {
            return .failed(error.message)
        }
        var agent: DemoAgent?
        var changes = 0
        let outcome: DemoOutcome
        do throws(DemoStop) {
            let writer = KubeletVolumeWriter(root: layout.volume)
            let initial = DemoScenario.metadata(afterChange: 0, configSeen: KubeletTimestamp.now())
            try write(initial, with: writer)
            do {
                // A given --output-dir may hold an earlier run's files: the first check
                // must see this agent's, not those.
                try DemoFileSystem.removeTree(layout.jsonFile)
                try DemoFileSystem.removeTree(layout.envFile)
                try DemoFileSystem.truncate(layout.hookLog)
            } catch {
                throw .failed(error.message)
            }
            if Task.isShuttingDownGracefully { throw .interrupted }
            let started: DemoAgent
            do {
                started = try DemoAgent.start(layout: layout, logLevel: settings.agentLogLevel)
            } catch {
                throw .failed(error.message)
            }
            agent = started
            try await play(layout: layout, agent: started, writer: writer, initial: initial, changes: &changes)
            outcome = .completed(changes: changes)
        } catch {
            switch error {
            case .interrupted: outcome = .interrupted(changes: changes)
            case .failed(let message):
                printer.failure("FAILED: " + message)
                outcome = .failed(message)
            }
        }
        await shutDown(agent: agent, layout: layout)
        return outcome
    }

    // MARK: - The flow

    private func play(
        layout: DemoLayout, agent: DemoAgent, writer: KubeletVolumeWriter, initial: DemoPodMetadata, changes: inout Int
    ) async throws(DemoStop) {
        let started = ContinuousClock.now
        let observer = DemoObserver(layout: layout)
        introduce(layout: layout, agent: agent)
        showVolume(layout: layout)

        printer.heading("What each consumer sees at start")
        let check = DemoConsumerCheck(
            observer: observer, agent: agent, printer: printer, timeout: settings.timeout)
        var revision = try await check.verify(
            expected: initial, afterRevision: 0, change: nil, written: started, changedKeys: [])
        try check.showResources(expected: DemoScenario.resources)
        try await check.showDecodedAnnotation(key: "example.com/release-notes", expected: DemoScenario.releaseNotes)
        printer.entry("hook", "fires on changes only, not on the state found at start: see below")

        var current = initial
        while settings.steps.map({ changes < $0 }) ?? true {
            try await pause()
            let number = changes + 1
            let next = DemoScenario.metadata(afterChange: number, configSeen: KubeletTimestamp.now())
            let written = ContinuousClock.now
            let generation = try write(next, with: writer)
            let of = settings.steps.map { " of \($0)" } ?? ""
            printer.heading("Change \(number)\(of), \(DemoPrinter.clock())")
            let delta = next.changes(since: current)
            printer.entry(
                "kubelet", "new generation \(generation ?? "(none)"), swapped in by renaming ..data_tmp to ..data")
            printer.changes(delta, indent: 4) { change in
                change.section == "annotations" && SnapshotDiff.kubeletLocalAnnotations.contains(change.key)
                    ? "\(change.key) is kubelet-local: published, but fires no hook" : nil
            }
            let changedLabels = Set(delta.filter { $0.section == "labels" && $0.new != nil }.map(\.key))
            revision = try await check.verify(
                expected: next, afterRevision: revision, change: number, written: written, changedKeys: changedLabels)
            printer.success("OK: all four consumers saw change \(number) (revision \(revision))")
            changes = number
            current = next
        }
        let plural = changes == 1 ? "change" : "changes"
        printer.line()
        printer.success(
            "Done: \(changes) \(plural), each seen by the JSON file, the socket, the env file and the hook.", indent: 0)
    }

    /// Waits `interval`, or less if asked to stop.
    private func pause() async throws(DemoStop) {
        if Task.isShuttingDownGracefully { throw .interrupted }
        let interval = settings.interval
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        if Task.isShuttingDownGracefully || Task.isCancelled { throw .interrupted }
    }

    /// Publishes `metadata` as the kubelet would; returns the new generation's name.
    @discardableResult
    private func write(_ metadata: DemoPodMetadata, with writer: KubeletVolumeWriter) throws(DemoStop) -> String? {
        do {
            return try writer.write(DemoScenario.payload(metadata))
        } catch {
            throw .failed("cannot write the volume \(writer.root): \(error)")
        }
    }

    private func shutDown(agent: DemoAgent?, layout: DemoLayout) async {
        printer.heading("Stopping")
        if let agent {
            let running = agent.child.exitStatus == nil
            let status = await agent.stop()
            let how = running ? "SIGTERM to pid \(agent.child.pid), " : "pid \(agent.child.pid) had already ended: "
            // SIGTERM before the agent installed its handler (a very early Ctrl-C) is a clean stop too.
            let clean = status.isSuccess || (running && status == .signaled(.terminate))
            let text = "\(how)\(status.isSuccess ? "exited with status 0" : "\(status)")"
            printer.entry("agent", clean ? text : printer.styled(text, .red))
        }
        do {
            if let removed = try layout.removeTemporaryDirectory() {
                printer.entry("removed", removed)
            }
        } catch {
            printer.entry("cleanup", printer.styled(error.message, .red))
        }
        for (flag, path) in [
            ("--volume", settings.volume.map { _ in layout.volume }),
            ("--output-dir", settings.outputDirectory.map { _ in layout.outputDirectory }),
        ] {
            if let path { printer.entry("kept", "\(path) (given with \(flag))") }
        }
    }

    // MARK: - Telling people what they look at

    private func introduce(layout: DemoLayout, agent: DemoAgent) {
        printer.line(
            printer.styled("podmeta demo", .bold) + ": the agent on a simulated kubelet volume, no cluster needed.")
        printer.line()
        printer.entry("volume", layout.volume)
        printer.entry("JSON file", layout.jsonFile)
        printer.entry("env file", layout.envFile)
        printer.entry("socket", layout.socket)
        printer.entry("hook log", layout.hookLog)
        printer.line()
        printer.line("The agent runs as pid \(agent.child.pid):", indent: 2)
        // One flag per line: the command is long, and people copy it.
        var lines = ["podmeta " + agent.arguments[0]]
        var index = 1
        while index < agent.arguments.count {
            var words = [agent.arguments[index]]
            if index + 1 < agent.arguments.count, !agent.arguments[index + 1].hasPrefix("--") {
                words.append(agent.arguments[index + 1])
                index += 1
            }
            lines.append("  " + DemoShellQuoting.line(words))
            index += 1
        }
        printer.block(lines.joined(separator: " \\\n"), indent: 4)
        let environment = DemoScenario.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        printer.line(
            "with " + environment.joined(separator: " ") + " in its environment (fieldRef variables).", indent: 2)
        printer.line()
        let interval = DurationText.format(settings.interval)
        if let steps = settings.steps {
            printer.line("\(steps) change\(steps == 1 ? "" : "s"), one every \(interval).", indent: 2)
        } else {
            let cleanup = layout.temporaryDirectory.map { " and removes \($0)" } ?? ""
            printer.line("A change every \(interval); Ctrl-C stops the agent\(cleanup).", indent: 2)
        }
    }

    /// The volume's items as the kubelet wrote them, and the raw annotations file.
    private func showVolume(layout: DemoLayout) {
        printer.heading("The volume, as the kubelet writes it")
        let generation = (try? DemoFileSystem.readLink(layout.volume + "/..data")) ?? "?"
        printer.line("\(layout.volume)/..data -> \(generation)  (every item is a symlink through ..data)", indent: 2)
        let items = VolumeItem.defaults
        let pathWidth = items.map(\.path.count).max() ?? 0
        let fieldWidth = items.map(\.field.specText.count).max() ?? 0
        for item in items {
            let bytes = DemoFileSystem.read(layout.volume + "/" + item.path) ?? []
            let content: String
            switch item.field {
            case .pod(.labels), .pod(.annotations):
                let count = bytes.isEmpty ? 0 : bytes.split(separator: UInt8(ascii: "\n")).count
                content = "\(count) lines"
            default:
                content = String(decoding: bytes, as: UTF8.self)
            }
            printer.line(
                item.path.padding(to: pathWidth) + "  "
                    + printer.styled(item.field.specText.padding(to: fieldWidth), .dim)
                    + "  " + content, indent: 4)
        }
        printer.line()
        printer.line("annotations, one key=\"Go-quoted value\" per line (what podmeta decodes):", indent: 2)
        let raw = DemoFileSystem.read(layout.volume + "/annotations") ?? []
        printer.block(String(decoding: raw, as: UTF8.self), indent: 4)
    }
}
