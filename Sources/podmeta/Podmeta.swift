import ArgumentParser

/// The root command.
struct Podmeta: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "podmeta",
        abstract: "Turns a pod's Downward API metadata into files, variables and a local API.",
        discussion: """
            Inside a Kubernetes pod, the kubelet exposes the pod's own metadata as POD_* \
            environment variables (fixed at start) and as a downwardAPI volume that it \
            rewrites live. podmeta reads both, decodes them exactly as the kubelet wrote \
            them, and keeps one consistent, versioned snapshot.

            Exit status: 0 success, 1 runtime failure, 2 usage error (a flag, a value or \
            a combination that cannot work), 3 key not found, 65 malformed input data, 66 an \
            input cannot be read; exec exits with its command's status.

            Each command has its own --help with examples: podmeta agent --help.

            Examples:
              podmeta snapshot --volume /etc/podinfo
              podmeta agent --volume /etc/podinfo --output /run/podmeta/pod.json
              podmeta get labels app.kubernetes.io/name
              podmeta quantity --resource memory 128Mi 1.5Gi
            """,
        version: "0.1.0",
        subcommands: [
            SnapshotCommand.self, AgentCommand.self, GetCommand.self, EnvCommand.self, ExecCommand.self,
            QuantityCommand.self, HealthCommand.self, DemoCommand.self, KubeletWriteCommand.self,
        ]
    )
}
