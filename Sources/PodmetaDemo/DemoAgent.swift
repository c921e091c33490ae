import PodmetaIO
import PodmetaProcess

/// `podmeta agent` running as a child of the demo, on the demo's volume and outputs.
struct DemoAgent: Sendable {
    let child: ChildProcess
    /// The arguments after the program name.
    let arguments: [String]

    /// The example hook: it appends what the agent tells it (PODMETA_REVISION,
    /// PODMETA_CHANGED, and the JSON on stdin: the changes and the new snapshot) to `log`.
    static func hookCommand(log: String) -> String {
        #"{ echo "PODMETA_REVISION=$PODMETA_REVISION PODMETA_CHANGED=$PODMETA_CHANGED"; cat; } >> "#
            + DemoShellQuoting.word(log)
    }

    /// Starts this same binary (`/proc/self/exe`, which stays valid even when the file is
    /// replaced by a rebuild) as `podmeta agent`, in a process group of its own so that a
    /// Ctrl-C in the terminal reaches the demo only and the demo decides how the agent stops.
    ///
    /// The agent's environment is the demo's without `POD_*` and `PODMETA_*` (which would
    /// leak into the snapshot), plus ``DemoScenario/environment``. Its log goes to our
    /// stderr, so problems show up where the demo runs.
    static func start(layout: DemoLayout, logLevel: String) throws(DemoError) -> DemoAgent {
        let arguments = [
            "agent", "--volume", layout.volume, "--output", layout.jsonFile, "--env-file", layout.envFile,
            "--socket", layout.socket, "--on-change", hookCommand(log: layout.hookLog), "--log-level", logLevel,
        ]
        var environment = ProcessEnvironment.current().filter { name, _ in
            !name.hasPrefix("POD_") && !name.hasPrefix("PODMETA_")
        }
        environment.merge(DemoScenario.environment) { $1 }
        let spec = ProcessSpec(
            command: .argv(["/proc/self/exe"] + arguments), environment: environment,
            standardInput: .null, standardOutput: .discard, standardError: .inherit)
        do {
            return DemoAgent(child: try ProcessSpawner().spawn(spec), arguments: arguments)
        } catch {
            throw DemoError("cannot start the agent: \(error)")
        }
    }

    /// The command line a person would type for the same agent.
    var commandLine: String { DemoShellQuoting.line(["podmeta"] + arguments) }

    /// SIGTERM, then waits for it to finish its current publish and exit; SIGKILL after
    /// `grace`.
    func stop(grace: Duration = .seconds(10)) async -> ExitStatus {
        if let status = child.exitStatus { return status }
        return await child.terminate(grace: grace)
    }
}
