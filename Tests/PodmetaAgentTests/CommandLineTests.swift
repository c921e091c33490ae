import Glibc
import PodmetaProcess
import PodmetaSystem
import PodmetaTestSupport
import Testing

@testable import PodmetaIO

extension AgentIntegrationTests {
    /// The command line as a user meets it: every refusal is one `podmeta: ` sentence with
    /// the exit status of docs/cli.md's table, and the options are typed (a bad value is a
    /// usage error, 2, listing what is accepted).
    @Suite(.enabled(if: PodmetaBinary.path != nil, "\(PodmetaBinary.missing)"))
    struct CommandLineTests {
        @Test func badValuesAreUsageErrorsWithOneSentence() async {
            await #expect(processExitsWith: .success) { await inChild { try await CommandLineScenarios.badValues() } }
        }

        @Test func conflictingAndForeignPathsAreRefusedAtStart() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await CommandLineScenarios.conflictingPaths() }
            }
        }

        @Test func exitStatusesFollowTheTable() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await CommandLineScenarios.exitStatuses() }
            }
        }

        @Test func aUserTheSocketRefusesGetsExit66() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await CommandLineScenarios.refusedUser() }
            }
        }

        /// `get`'s everyday command lines skip argument-parser (GetFastPath); each must print
        /// and exit exactly as argument-parser's path does, which `--timeout 5s` (the default,
        /// a flag the fast path leaves to argument-parser) forces.
        @Test func getAnswersTheSameWithAndWithoutArgumentParser() async {
            await #expect(processExitsWith: .success) {
                await inChild { try await CommandLineScenarios.getFastPathEquality() }
            }
        }

        @Test func helpExamplesAreNeverWrappedMidCommand() async {
            await #expect(processExitsWith: .success) { await inChild { try await CommandLineScenarios.help() } }
        }
    }
}

enum CommandLineScenarios {
    /// One command line and what it must give.
    struct Row {
        var arguments: [String]
        var status: Int32
        /// Text the one `podmeta: ` line must contain.
        var says: String
    }

    /// Runs each row; the whole of stderr must be `podmeta: ` lines (argument-parser's usage
    /// lines after its message are allowed), never a Swift crash or a type's dump.
    static func check(_ rows: [Row]) async throws {
        for row in rows {
            let (status, _, stderr) = try await PodmetaRun.run(row.arguments)
            let shown = "podmeta \(row.arguments.joined(separator: " ")): \(status); stderr: \(stderr)"
            #expect(status == .exited(row.status), "\(shown)")
            #expect(stderr.hasPrefix("podmeta: "), "\(shown)")
            #expect(stderr.contains(row.says), "\(shown)")
            #expect(!stderr.contains("Error:") && !stderr.contains("CLIError"), "\(shown)")
        }
    }

    static func badValues() async throws {
        let directory = TemporaryDirectory("podmeta-cli")
        let root = try CommandScenarios.volume(in: directory)
        let output = directory.sub("pod.json")
        let once = ["agent", "--once", "--volume", root, "--output", output]
        let config = directory.sub("podmeta.json")
        Files.write(config, #"{"volume": "\#(root)", "output": "\#(output)", "watcher": "fanotify"}"#)
        try await check([
            // Was exit 1 with `CLIError(message: ..., status: 2)`.
            Row(arguments: once + ["--log-format", "xml"], status: 2, says: "'text' and 'json'"),
            Row(arguments: once + ["--log-level", "loud"], status: 2, says: "- warning"),
            Row(arguments: once + ["--watcher", "fanotify"], status: 2, says: "'auto', 'inotify' or 'polling'"),
            Row(arguments: once + ["--env-file-format", "json"], status: 2, says: "'sh' and 'env-file'"),
            Row(arguments: ["env", "--no-volume", "--format", "yaml"], status: 2, says: "'json'"),
            Row(arguments: ["get", "--file", output, "label"], status: 2, says: "labels"),
            Row(arguments: ["exec", "--reload-signal", "KILL", "--", "true"], status: 2, says: "HUP"),
            Row(arguments: ["exec", "--reload-signal", "NOPE", "--", "true"], status: 2, says: "USR1"),
            Row(
                arguments: ["exec", "--on", "labels/version", "--", "true"], status: 2, says: "--restart-on-change too"),
            Row(arguments: ["exec", "--splay", "30s", "--", "true"], status: 2, says: "--restart-on-change too"),
            // exec --wait: the agent's syntax and refusals.
            Row(arguments: ["exec", "--wait", "2s", "--", "true"], status: 2, says: "--restart-on-change too"),
            Row(
                arguments: ["exec", "--reload-signal", "HUP", "--wait", "soon", "--", "true"], status: 2,
                says: "such as 2s or 2s:10s"),
            Row(
                arguments: ["exec", "--restart-on-change", "--wait", "30s:5s", "--", "true"], status: 2,
                says: "give a MAX at least MIN"),
            // Were accepted: --wait had no bound, unlike --splay and every other duration.
            Row(
                arguments: ["exec", "--restart-on-change", "--wait", "25h", "--", "true"], status: 2,
                says: "wait \"25h\": a duration can be at most 24h"),
            Row(
                arguments: ["exec", "--reload-signal", "HUP", "--wait", "1s:48h", "--", "true"], status: 2,
                says: "a duration can be at most 24h"),
            Row(
                arguments: ["exec", "--reload-signal", "HUP", "--on", "label/version", "--", "true"], status: 2,
                says: "expected labels or annotations"),
            // Was a crash (SIGILL): 1e16 seconds overflowed a conversion to milliseconds.
            Row(arguments: ["get", "--timeout", "1e16", "labels"], status: 2, says: "such as 500ms, 2s"),
            Row(arguments: ["health", "--timeout", "1e16"], status: 2, says: "such as 500ms, 2s"),
            Row(arguments: ["health", "--timeout", "100000h"], status: 2, says: "at most 24h"),
            // One duration syntax: bare seconds were accepted by get and health only.
            Row(arguments: ["health", "--timeout", "2"], status: 2, says: "needs a unit: write 2s"),
            Row(arguments: ["health", "--timeout", "0s"], status: 2, says: "longer than 0"),
            Row(arguments: once + ["--resync", "5"], status: 2, says: "needs a unit"),
            // Were accepted: a hook that is killed at once, outputs with no path.
            Row(arguments: once + ["--hook-timeout", "0s"], status: 2, says: "--hook-timeout must be longer than 0"),
            Row(arguments: ["agent", "--volume", root, "--output", ""], status: 2, says: "--output needs a file path"),
            Row(arguments: once + ["--env-file", ""], status: 2, says: "--env-file needs a file path"),
            Row(
                arguments: ["agent", "--volume", root, "--socket", ""], status: 2, says: "--socket needs a socket path"),
            // Exported UID, which bash refuses to assign.
            Row(arguments: ["env", "--no-volume", "--var-prefix", ""], status: 2, says: "cannot be empty"),
            Row(arguments: ["exec", "--no-volume", "--var-prefix", "E", "--", "true"], status: 2, says: "EUID"),
            Row(
                arguments: once + ["--env-file", directory.sub("pod.env"), "--var-prefix", ""], status: 2,
                says: "cannot be empty"),
            // Was accepted, and memory units printed for a resource the downward API lacks.
            Row(arguments: ["quantity", "--resource", "gpu", "1"], status: 2, says: "hugepages-<size>"),
            Row(arguments: ["quantity", "--resource", "memory", "--divisor", "1Q", "1"], status: 2, says: "1Q"),
            Row(arguments: once + ["--output-mode", "0999"], status: 2, says: "octal, such as 0644"),
            Row(arguments: once + ["--template", "only-a-source"], status: 2, says: "SRC:DEST"),
            Row(
                arguments: once + ["--wait", "soon"], status: 2,
                says: "\"soon\" is not a duration: write MIN or MIN:MAX"),
            Row(arguments: once + ["--wait", "30h"], status: 2, says: "wait \"30h\": a duration can be at most 24h"),
            Row(arguments: once + ["--hook", "/bin/true"], status: 2, says: "FILTERS=COMMAND"),
            Row(arguments: once + ["--hook", "pods/x=/bin/true"], status: 2, says: "pods/x"),
            Row(arguments: ["snapshot", "--item", "labels=metadata.owner"], status: 2, says: "metadata.owner"),
            Row(
                arguments: ["env", "--no-volume", "--env-item", "X=metadata.owner"], status: 2, says: "metadata.owner"),
            // The config file's values are checked against the same lists.
            Row(arguments: ["agent", "--config", config], status: 2, says: "the config file's watcher must be auto"),
        ])
        #expect(!Files.exists(output), "a refused command wrote its output")
    }

    static func conflictingPaths() async throws {
        let directory = TemporaryDirectory("podmeta-cli")
        let root = try CommandScenarios.volume(in: directory)
        let output = directory.sub("pod.json")
        let fifo = directory.sub("fifo")
        #expect(mkfifo(fifo, 0o644) == 0)
        let template = directory.sub("app.ini")
        Files.write(template, "app={{labels.app}}\n")
        let once = ["agent", "--once", "--volume", root]
        try await check([
            // A FIFO (or a device: /dev/null as root) was replaced by the JSON file.
            Row(arguments: once + ["--output", fifo], status: 2, says: "is a FIFO, not a regular file"),
            Row(
                arguments: once + ["--output", output, "--env-file", fifo], status: 2,
                says: "--env-file \(fifo) is a FIFO"),
            Row(arguments: once + ["--template", "\(template):\(directory.path)"], status: 2, says: "is a directory"),
            // Two outputs on one file, written differently.
            Row(
                arguments: once + ["--output", output, "--env-file", directory.path + "/./pod.json"], status: 2,
                says: "--output and --env-file both name"),
            Row(
                arguments: ["agent", "--volume", root, "--output", output, "--socket", output], status: 2,
                says: "--output and --socket both name"),
            Row(
                arguments: once + ["--template", "\(template):\(output)", "--output", output], status: 2,
                says: "both name"),
            // The template would be replaced by its own rendering.
            Row(
                arguments: once + ["--template", "\(template):\(template)"], status: 2,
                says: "would overwrite the template \(template)"),
            // The kubelet's volume is never written into.
            Row(arguments: once + ["--output", root + "/pod.json"], status: 2, says: "inside the watched volume"),
        ])
        #expect(try FileKind.at(fifo) == .fifo, "the FIFO was replaced")
        #expect(Files.readText(template) == "app={{labels.app}}\n", "the template was overwritten")
        #expect(!Files.exists(output))
        #expect(!Files.exists(root + "/pod.json"))
    }

    static func exitStatuses() async throws {
        let directory = TemporaryDirectory("podmeta-cli")
        let root = try CommandScenarios.volume(in: directory)
        let output = directory.sub("pod.json")
        let broken = directory.sub("broken.mustache")
        Files.write(broken, "{{#labels}}never closed")
        let once = ["agent", "--once", "--volume", root, "--output", output]
        try await check([
            // A template that cannot be read is a missing input (66, like the config file);
            // one that does not parse is bad data (65). Was 65 for both.
            Row(
                arguments: once + ["--template", directory.sub("missing.mustache") + ":" + directory.sub("out")],
                status: 66, says: "missing.mustache"),
            Row(
                arguments: once + ["--template", broken + ":" + directory.sub("out")], status: 65,
                says: "broken.mustache"),
            Row(arguments: ["agent", "--config", directory.sub("missing.json")], status: 66, says: "missing.json"),
            // A bad flag value is a usage error (2), as docs/cli.md says.
            Row(arguments: ["snapshot", "--no-volume", "--format", "xml"], status: 2, says: "'xml'"),
            Row(arguments: ["quantity", "12XB"], status: 65, says: "12XB"),
            Row(
                arguments: ["get", "--file", directory.sub("missing.json"), "labels"], status: 66, says: "missing.json"),
        ])
    }

    /// `--allow-uid` without our uid: the socket answers 403, which `get` reported as a
    /// runtime failure (1); docs/troubleshooting.md says 66, like any socket it cannot read.
    static func refusedUser() async throws {
        let directory = TemporaryDirectory("podmeta-cli")
        let root = try CommandScenarios.volume(in: directory)
        let socket = directory.sub("podmeta.sock")
        let other = getuid() == 4242 ? "4243" : "4242"
        let agent = try PodmetaRun.start(["agent", "--volume", root, "--socket", socket, "--allow-uid", other])
        do {
            try await waitUntil("the agent to listen") { agent.child.exitStatus != nil || Files.exists(socket) }
            try await check([Row(arguments: ["get", "--socket", socket, "labels", "app"], status: 66, says: "uid")])
            let (status, stdout, stderr) = try await PodmetaRun.run([
                "get", "--socket", socket, "--fallback-file", directory.sub("missing.json"), "labels",
            ])
            #expect(status == .exited(66) && stdout.isEmpty, "\(status); stderr: \(stderr)")
            #expect(stderr.contains("reading \(directory.sub("missing.json")) instead"), "stderr: \(stderr)")
        } catch {
            await agent.child.terminate(grace: .seconds(2))
            throw error
        }
        await agent.child.terminate(grace: .seconds(5))
    }

    static func getFastPathEquality() async throws {
        let directory = TemporaryDirectory("podmeta-cli")
        let root = try CommandScenarios.volume(in: directory)
        let output = directory.sub("pod.json")
        let socket = directory.sub("podmeta.sock")
        let missing = directory.sub("missing.json")
        let agent = try PodmetaRun.start(["agent", "--volume", root, "--output", output, "--socket", socket])
        do {
            try await waitUntil("the agent to publish") {
                agent.child.exitStatus != nil || (Files.exists(output) && Files.exists(socket))
            }
            let rows: [[String]] = [
                ["--file", output, "labels", "app"],
                ["--file", output, "labels", "absent"],
                ["--file", output, "labels"],
                ["--file", output, "snapshot"],
                ["--file", output, "--json", "labels", "app"],
                ["labels", "--file", output, "version"],
                ["--file", output, "pod", "name"],
                ["--file", output, "env", "ABSENT"],
                ["--file", missing, "labels", "app"],
                ["--file", root, "labels"],
                ["--socket", socket, "labels", "app"],
                ["--socket", socket, "labels", "absent"],
                ["--socket", socket, "labels"],
                ["--socket", socket, "--json", "labels", "version"],
                ["--socket", socket, "pod", "name"],
                ["--socket", socket, "snapshot"],
                ["--socket", missing, "labels", "app"],
                ["--socket", missing, "--fallback-file", output, "labels", "app"],
                ["--fallback-file", missing, "--socket", missing, "labels"],
                // What the fast path leaves to argument-parser must still agree.
                ["--file", output, "label"],
                ["--socket", socket, "--file", output, "labels"],
                ["--file", output, "--fallback-file", output, "labels"],
                ["--file", output, "snapshot", "app"],
                ["--file", output, "labels", "app", "extra"],
                ["--file", output, "--json", "--json", "labels", "app"],
                ["--file", "", "labels"],
                ["--file", output, "labels", "-x"],
                ["--file"],
                ["labels", "--file"],
            ]
            for row in rows {
                let fast = try await PodmetaRun.run(["get"] + row)
                let parsed = try await PodmetaRun.run(["get", "--timeout", "5s"] + row)
                let shown = "get \(row.joined(separator: " ")): \(fast) vs \(parsed)"
                #expect(fast.status == parsed.status, "\(shown)")
                #expect(fast.stdout == parsed.stdout, "\(shown)")
                #expect(fast.stderr == parsed.stderr, "\(shown)")
            }
            // Not two equal failures: the everyday forms answer.
            let value = try await PodmetaRun.run(["get", "--file", output, "labels", "app"])
            #expect(value.status == .exited(0) && value.stdout == "web\n", "\(value)")
            let viaSocket = try await PodmetaRun.run(["get", "--socket", socket, "labels", "app"])
            #expect(viaSocket.status == .exited(0) && viaSocket.stdout == "web\n", "\(viaSocket)")
        } catch {
            await agent.child.terminate(grace: .seconds(2))
            throw error
        }
        await agent.child.terminate(grace: .seconds(5))
    }

    static let commands = ["snapshot", "agent", "get", "env", "exec", "quantity", "health", "demo"]

    static func help() async throws {
        var root = #filePath
        for _ in 0..<3 { root = PathNames.directory(of: root) }
        let reference = try #require(Files.readText(root + "/docs/cli.md"), "docs/cli.md not found at \(root)")
        for command in [[]] + commands.map({ [$0] }) {
            let (status, help, _) = try await PodmetaRun.run(command + ["--help"])
            let shown = "podmeta \(command.joined()) --help"
            #expect(status == .exited(0), "\(shown): \(status)")
            let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
            // Between "Examples:" and "USAGE:" every line is indented: argument-parser wraps
            // lines longer than 80 columns and the rest starts at column 0.
            if let start = lines.firstIndex(where: { $0.hasPrefix("Example") }),
                let end = lines.firstIndex(where: { $0.hasPrefix("USAGE:") })
            {
                for line in lines[(start + 1)..<end] where !line.isEmpty {
                    #expect(line.hasPrefix("  "), "\(shown): an example was wrapped: \"\(line)\"")
                }
            }
            // Example paths of this repository exist.
            for word in help.split(whereSeparator: { " \n'\"=:".contains($0) }) where word.contains("examples/") {
                let path = word.drop { $0 == "." || $0 == "/" }
                #expect(access(root + "/" + path, F_OK) == 0, "\(shown) names \(word), which does not exist")
            }
            // One default location for the agent's file everywhere.
            #expect(!help.contains("/var/run/podmeta/snapshot.json"), "\(shown)")
            // Every flag --help shows is in the command-line reference.
            for flag in flags(in: help) where flag != "--help" && flag != "--version" {
                #expect(mentions(reference, flag), "\(shown) shows \(flag), which docs/cli.md does not describe")
            }
        }
    }

    /// The long flags of a `--help` text's option list (`  --name <value>  ...`).
    static func flags(in help: String) -> Set<String> {
        Set(
            help.split(separator: "\n").compactMap { line -> String? in
                let option = line.drop { $0 == " " }.replacing("-h, ", with: "")
                guard line.hasPrefix("  "), option.hasPrefix("--") else { return nil }
                return String(option.prefix { $0.isLetter || $0.isNumber || $0 == "-" })
            })
    }

    /// Whether a text names a flag as a whole word (`--on` is not `--on-change`).
    static func mentions(_ text: String, _ flag: String) -> Bool {
        var rest = Substring(text)
        while let range = rest.firstRange(of: flag) {
            let next = rest[range.upperBound...].first
            if !(next.map { $0.isLetter || $0.isNumber || $0 == "-" } ?? false) { return true }
            rest = rest[range.upperBound...]
        }
        return false
    }
}
