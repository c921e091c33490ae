/// The agent's configuration file (`podmeta agent --config FILE`): everything the flags
/// say, for use from a ConfigMap. Flags given on the command line win over the file.
///
/// The file is JSON. Kubernetes users write YAML, and JSON is YAML: a ConfigMap value can
/// hold it as is. A YAML parser (Yams) would bring full Foundation into the sidecar, about
/// 8 MB of resident memory, for the convenience of unquoted keys.
///
/// ```json
/// {
///   "volume": "/etc/podinfo",
///   "output": "/run/podmeta/pod.json",
///   "socket": "/run/podmeta/podmeta.sock",
///   "envFile": "/run/podmeta/pod.env",
///   "templates": [{"source": "/etc/podmeta/app.ini.mustache", "destination": "/run/podmeta/app.ini"}],
///   "hooks": [{"name": "reload", "on": ["labels/version"], "selector": "tier in (web,api)",
///              "command": ["/usr/local/bin/reload", "--graceful"], "timeout": "10s", "wait": "2s:10s"}]
/// }
/// ```
///
/// Unknown keys are errors: a misspelt key silently ignored is a misconfigured sidecar.
public struct AgentConfigFile: Sendable, Equatable {
    public var volume: String?
    public var items: [String]?
    public var envPrefix: String?
    public var envItems: [String]?
    public var strict: Bool?
    public var output: String?
    public var outputMode: String?
    public var envFile: String?
    public var envFileFormat: String?
    public var varPrefix: String?
    public var socket: String?
    public var socketMode: String?
    public var allowUids: [UInt32]?
    public var metricsAddress: String?
    public var watcher: String?
    public var pollInterval: Duration?
    public var resync: Duration?
    public var onChange: String?
    public var hookTimeout: Duration?
    public var wait: String?
    /// A random delay before each hook run, up to this.
    public var splay: Duration?
    public var templates: [Template]?
    public var hooks: [Hook]?
    public var logFormat: String?
    public var logLevel: String?
    /// Label and annotation filters (globs), as the `--include-label`... flags.
    public var includeLabels: [String]?
    public var excludeLabels: [String]?
    public var includeAnnotations: [String]?
    public var excludeAnnotations: [String]?

    /// A `templates` entry.
    public struct Template: Sendable, Equatable {
        public var source: String
        public var destination: String
        public var mode: String?
        /// A missing variable is an error instead of an empty string.
        public var strict: Bool?
        /// Run this shell command after the destination changed.
        public var command: String?
    }

    /// A `hooks` entry: exactly one of `command`, `url` (a webhook) or `signal`.
    public struct Hook: Sendable, Equatable {
        public var name: String
        public var kind: Kind
        public var on: [String]
        public var selector: String?
        public var timeout: Duration?
        public var wait: String?
        /// This hook's own `splay`, instead of the file's.
        public var splay: Duration?

        public enum Kind: Sendable, Equatable {
            /// argv (a JSON array) or a shell command (a string).
            case command(Command)
            case webhook(Webhook)
            case signal(Signal)
        }

        public enum Command: Sendable, Equatable {
            case argv([String])
            case shell(String)
        }

        /// `url`, `method`, `headers`, `expectStatus`, `retries`, `backoff`, `allowRemote`.
        public struct Webhook: Sendable, Equatable {
            public var url: String
            public var method: String?
            /// In file order.
            public var headers: [Header]
            public var expectStatus: [Int]?
            public var retries: Int?
            /// `INITIAL` or `INITIAL:MAX`, e.g. `500ms:30s`.
            public var backoff: String?
            public var allowRemote: Bool?

            public init(
                url: String, method: String? = nil, headers: [Header] = [], expectStatus: [Int]? = nil,
                retries: Int? = nil, backoff: String? = nil, allowRemote: Bool? = nil
            ) {
                self.url = url
                self.method = method
                self.headers = headers
                self.expectStatus = expectStatus
                self.retries = retries
                self.backoff = backoff
                self.allowRemote = allowRemote
            }
        }

        public struct Header: Sendable, Equatable {
            public var name: String
            public var value: String
        }

        /// `signal: {process: nginx, signal: HUP, multiple: refuse}`.
        public struct Signal: Sendable, Equatable {
            public var process: String
            public var signal: String?
            /// `refuse` (the default) or `all`.
            public var multiple: String?

            public init(process: String, signal: String? = nil, multiple: String? = nil) {
                self.process = process
                self.signal = signal
                self.multiple = multiple
            }
        }
    }

    public init() {}

    /// Parses the file's bytes; `path` names the file in errors.
    public init(parsing bytes: [UInt8], path: String) throws(ConfigFileError) {
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw ConfigFileError(path: path, key: nil, reason: "\(error)")
        }
        let reader = ConfigReader(path: path)
        guard let members = document.objectValue else {
            throw ConfigFileError(path: path, key: nil, reason: "the file must hold a JSON object")
        }
        try reader.rejectUnknown(members, allowed: AgentConfigFile.keys, at: nil)
        volume = try reader.string(members, "volume")
        items = try reader.strings(members, "items")
        envPrefix = try reader.string(members, "envPrefix")
        envItems = try reader.strings(members, "envItems")
        strict = try reader.bool(members, "strict")
        output = try reader.string(members, "output")
        outputMode = try reader.string(members, "outputMode")
        envFile = try reader.string(members, "envFile")
        envFileFormat = try reader.string(members, "envFileFormat")
        varPrefix = try reader.string(members, "varPrefix")
        socket = try reader.string(members, "socket")
        socketMode = try reader.string(members, "socketMode")
        allowUids = try reader.uids(members, "allowUids")
        metricsAddress = try reader.string(members, "metricsAddress")
        watcher = try reader.string(members, "watcher")
        pollInterval = try reader.duration(members, "pollInterval")
        resync = try reader.duration(members, "resync")
        onChange = try reader.string(members, "onChange")
        hookTimeout = try reader.duration(members, "hookTimeout")
        wait = try reader.string(members, "wait")
        splay = try reader.duration(members, "splay")
        logFormat = try reader.string(members, "logFormat")
        logLevel = try reader.string(members, "logLevel")
        includeLabels = try reader.strings(members, "includeLabels")
        excludeLabels = try reader.strings(members, "excludeLabels")
        includeAnnotations = try reader.strings(members, "includeAnnotations")
        excludeAnnotations = try reader.strings(members, "excludeAnnotations")
        if let list = members["templates"] {
            guard let entries = list.arrayValue else { throw reader.error("templates", "must be a list") }
            var templates: [Template] = []
            for (index, entry) in entries.enumerated() {
                let key = "templates[\(index)]"
                guard let fields = entry.objectValue else { throw reader.error(key, "must be an object") }
                try reader.rejectUnknown(
                    fields, allowed: ["source", "destination", "mode", "strict", "command"], at: key)
                guard let source = try reader.string(fields, "source", in: key),
                    let destination = try reader.string(fields, "destination", in: key)
                else { throw reader.error(key, "needs source and destination") }
                templates.append(
                    Template(
                        source: source, destination: destination, mode: try reader.string(fields, "mode", in: key),
                        strict: try reader.bool(fields, "strict", in: key),
                        command: try reader.string(fields, "command", in: key)))
            }
            self.templates = templates
        }
        if let list = members["hooks"] {
            guard let entries = list.arrayValue else { throw reader.error("hooks", "must be a list") }
            var hooks: [Hook] = []
            for (index, entry) in entries.enumerated() {
                let key = "hooks[\(index)]"
                guard let fields = entry.objectValue else { throw reader.error(key, "must be an object") }
                try reader.rejectUnknown(fields, allowed: AgentConfigFile.hookKeys, at: key)
                let kinds = ["command", "url", "signal"].filter { fields[$0] != nil && fields[$0] != .null }
                guard kinds.count == 1 else {
                    throw reader.error(key, "needs exactly one of command, url (a webhook) or signal")
                }
                let webhookOnly = ["method", "headers", "expectStatus", "retries", "backoff", "allowRemote"]
                if kinds[0] != "url", let stray = webhookOnly.first(where: { fields[$0] != nil }) {
                    throw reader.error("\(key).\(stray)", "applies to webhooks (url) only")
                }
                let kind: Hook.Kind
                switch kinds[0] {
                case "command":
                    switch fields["command"] {
                    case .string(let text)? where !text.isEmpty: kind = .command(.shell(text))
                    case .array(let parts)? where !parts.isEmpty && parts.allSatisfy({ $0.stringValue != nil }):
                        kind = .command(.argv(parts.compactMap(\.stringValue)))
                    default: throw reader.error("\(key).command", "must be a non-empty string or list of strings")
                    }
                case "url":
                    kind = .webhook(try reader.webhook(fields, in: key))
                default:
                    kind = .signal(try reader.signal(fields["signal"]!, in: "\(key).signal"))
                }
                hooks.append(
                    Hook(
                        name: try reader.string(fields, "name", in: key) ?? "file-hook-\(index + 1)", kind: kind,
                        on: try reader.strings(fields, "on", in: key) ?? [],
                        selector: try reader.string(fields, "selector", in: key),
                        timeout: try reader.duration(fields, "timeout", in: key),
                        wait: try reader.string(fields, "wait", in: key),
                        splay: try reader.duration(fields, "splay", in: key)))
            }
            self.hooks = hooks
        }
    }

    static let hookKeys: Set<String> = [
        "name", "command", "url", "signal", "on", "selector", "timeout", "wait", "splay", "method", "headers",
        "expectStatus",
        "retries", "backoff", "allowRemote",
    ]

    static let keys: Set<String> = [
        "volume", "items", "envPrefix", "envItems", "strict", "output", "outputMode", "envFile", "envFileFormat",
        "varPrefix", "socket", "socketMode", "allowUids", "metricsAddress", "watcher", "pollInterval", "resync",
        "onChange",
        "hookTimeout", "wait", "splay", "templates", "hooks", "logFormat", "logLevel", "includeLabels", "excludeLabels",
        "includeAnnotations", "excludeAnnotations",
    ]
}

/// Typed field access with errors that name the key.
private struct ConfigReader {
    let path: String

    func error(_ key: String, _ reason: String) -> ConfigFileError {
        ConfigFileError(path: path, key: key, reason: reason)
    }

    private func name(_ key: String, _ parent: String?) -> String {
        parent.map { "\($0).\(key)" } ?? key
    }

    func rejectUnknown(_ members: [String: JSONValue], allowed: Set<String>, at parent: String?) throws(ConfigFileError)
    {
        if let unknown = members.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw error(
                name(unknown, parent), "is not a known setting (known: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    func string(_ members: [String: JSONValue], _ key: String, in parent: String? = nil) throws(ConfigFileError)
        -> String?
    {
        guard let value = members[key], value != .null else { return nil }
        guard let text = value.stringValue else { throw error(name(key, parent), "must be a string") }
        return text
    }

    func strings(_ members: [String: JSONValue], _ key: String, in parent: String? = nil) throws(ConfigFileError)
        -> [String]?
    {
        guard let value = members[key], value != .null else { return nil }
        guard let list = value.arrayValue, list.allSatisfy({ $0.stringValue != nil }) else {
            throw error(name(key, parent), "must be a list of strings")
        }
        return list.compactMap(\.stringValue)
    }

    func bool(_ members: [String: JSONValue], _ key: String, in parent: String? = nil) throws(ConfigFileError) -> Bool?
    {
        guard let value = members[key], value != .null else { return nil }
        guard case .bool(let flag) = value else { throw error(name(key, parent), "must be true or false") }
        return flag
    }

    func duration(_ members: [String: JSONValue], _ key: String, in parent: String? = nil) throws(ConfigFileError)
        -> Duration?
    {
        guard let text = try string(members, key, in: parent) else { return nil }
        guard let duration = DurationText.parse(text) else {
            throw error(name(key, parent), "\"\(text)\" is not a duration such as 500ms, 30s or 5m")
        }
        return duration
    }

    func webhook(_ fields: [String: JSONValue], in key: String) throws(ConfigFileError) -> AgentConfigFile.Hook.Webhook
    {
        guard let url = try string(fields, "url", in: key), !url.isEmpty else {
            throw error("\(key).url", "must be a non-empty string")
        }
        var headers: [AgentConfigFile.Hook.Header] = []
        if let value = fields["headers"], value != .null {
            guard case .object(let members) = value else {
                throw error("\(key).headers", "must be an object of header names to string values")
            }
            for (name, item) in members.sorted(by: { $0.key < $1.key }) {
                guard let text = item.stringValue else { throw error("\(key).headers.\(name)", "must be a string") }
                let valid = !name.isEmpty && name.utf8.allSatisfy { $0 > 32 && $0 < 127 && $0 != UInt8(ascii: ":") }
                guard valid, !text.contains(where: { $0 == "\r" || $0 == "\n" }) else {
                    throw error("\(key).headers.\(name)", "is not a valid header (a token name, a one-line value)")
                }
                headers.append(.init(name: name, value: text))
            }
        }
        var statuses: [Int]?
        if let value = fields["expectStatus"], value != .null {
            let list = value.arrayValue ?? [value]
            statuses = try list.map { item throws(ConfigFileError) in
                guard let number = item.int64Value, (100...599).contains(number) else {
                    throw error("\(key).expectStatus", "must be an HTTP status or a list of them (100-599)")
                }
                return Int(number)
            }
        }
        var retries: Int?
        if let value = fields["retries"], value != .null {
            guard let number = value.int64Value, (0...100).contains(number) else {
                throw error("\(key).retries", "must be a whole number from 0 to 100")
            }
            retries = Int(number)
        }
        return .init(
            url: url, method: try string(fields, "method", in: key), headers: headers, expectStatus: statuses,
            retries: retries, backoff: try string(fields, "backoff", in: key),
            allowRemote: try bool(fields, "allowRemote", in: key))
    }

    func signal(_ value: JSONValue, in key: String) throws(ConfigFileError) -> AgentConfigFile.Hook.Signal {
        guard case .object(let fields) = value else {
            throw error(key, "must be an object such as {\"process\": \"nginx\", \"signal\": \"HUP\"}")
        }
        try rejectUnknown(fields, allowed: ["process", "signal", "multiple"], at: key)
        guard let process = try string(fields, "process", in: key), !process.isEmpty else {
            throw error("\(key).process", "must name the process: its name, or a /regular expression/")
        }
        let multiple = try string(fields, "multiple", in: key)
        if let multiple, multiple != "all", multiple != "refuse" {
            throw error("\(key).multiple", "must be all or refuse, not \"\(multiple)\"")
        }
        return .init(process: process, signal: try string(fields, "signal", in: key), multiple: multiple)
    }

    func uids(_ members: [String: JSONValue], _ key: String) throws(ConfigFileError) -> [UInt32]? {
        guard let value = members[key], value != .null else { return nil }
        guard let list = value.arrayValue else { throw error(key, "must be a list of user ids") }
        var uids: [UInt32] = []
        for item in list {
            guard let number = item.int64Value, let uid = UInt32(exactly: number) else {
                throw error(key, "must be a list of user ids")
            }
            uids.append(uid)
        }
        return uids
    }
}
