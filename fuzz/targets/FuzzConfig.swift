/// The agent's configuration file (`--config`, usually a ConfigMap).
enum FuzzConfig {
    static func run(_ bytes: [UInt8]) {
        guard let config = try? AgentConfigFile(parsing: bytes, path: "fuzz.json") else { return }
        // Parsing is a function of the bytes; hook selectors that parsed are usable.
        fuzzCheck(
            (try? AgentConfigFile(parsing: bytes, path: "fuzz.json")) == config, "config parsing is not deterministic")
        for hook in config.hooks ?? [] {
            if let selector = hook.selector, let parsed = try? LabelSelector(parsing: selector) {
                _ = parsed.matches(["app": "web", "tier": "front"])
            }
        }
    }
}
