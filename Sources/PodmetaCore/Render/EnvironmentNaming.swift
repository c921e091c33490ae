/// Names the environment variables a snapshot becomes (`podmeta env`, `exec`, the agent's
/// `--env-file`).
///
/// With the default prefix `POD_`:
///
/// | field | variables |
/// |---|---|
/// | `pod` | `POD_NAME`, `POD_NAMESPACE`, `POD_UID`, `POD_NODE_NAME`, `POD_SERVICE_ACCOUNT`, `POD_IP`, `POD_IPS`, `POD_HOST_IP`, `POD_HOST_IPS` (lists comma-joined) |
/// | label `app.kubernetes.io/name` | `POD_LABEL_APP_KUBERNETES_IO_NAME` |
/// | annotation `example.com/note` | `POD_ANNOTATION_EXAMPLE_COM_NOTE` |
/// | `limits.cpu` | `POD_CPU_LIMIT_MILLICORES` (integer, rounded up), `POD_CPU_LIMIT_CORES` (`0.5`, `2`, `0.001`) |
/// | `requests.memory` | `POD_MEMORY_REQUEST_BYTES` (integer, rounded up), `POD_MEMORY_REQUEST_MIB` (`128`, `0.5`) |
/// | `limits.ephemeral-storage`, `limits.hugepages-2Mi` | `POD_EPHEMERAL_STORAGE_LIMIT_BYTES`, `POD_HUGEPAGES_2MI_LIMIT_MIB`, ... |
///
/// A key becomes a name by upper-casing ASCII letters, turning every run of other
/// characters than `A-Z` and `0-9` into one `_`, and trimming `_` from both ends. The
/// snapshot's `env` section (variables podmeta read) is not re-exported.
///
/// The result is deterministic: pod fields in the order above, then labels and annotations
/// in byte order of their original keys, then resources in byte order of their names with
/// the limit before the request.
public struct EnvironmentNaming: Sendable, Hashable {
    /// Put in front of every name; `POD_` unless configured (`--env-prefix`).
    public let prefix: String

    /// The default naming, prefix `POD_`.
    public static let standard = EnvironmentNaming(checkedPrefix: "POD_")

    /// - Throws: when `prefix` is empty, not a valid start of a variable name, or would give
    ///   one of the pod fields' variables a name of ``reservedNames``.
    public init(prefix: String = "POD_") throws(EnvironmentNamingError) {
        guard !prefix.isEmpty else { throw EnvironmentNamingError(prefix: prefix, reason: .empty) }
        guard EnvironmentVariable.isValidName(prefix) else { throw EnvironmentNamingError(prefix: prefix) }
        // Labels, annotations and resources always put an infix (LABEL_, _LIMIT_) between
        // the prefix and their part, so only the pod fields' fixed names can hit a reserved one.
        if let name = EnvironmentNaming.podFieldSuffixes.map({ prefix + $0 }).first(
            where: EnvironmentNaming.reservedNames.contains)
        {
            throw EnvironmentNamingError(prefix: prefix, reason: .reservedName(name))
        }
        self.init(checkedPrefix: prefix)
    }

    /// What follows the prefix in the pod fields' names.
    static let podFieldSuffixes = [
        "NAME", "NAMESPACE", "UID", "NODE_NAME", "SERVICE_ACCOUNT", "IP", "IPS", "HOST_IP", "HOST_IPS",
    ]

    /// Names a variable must not take: bash refuses to assign its read-only ones (UID,
    /// EUID, PPID, ...) and silently ignores others (GROUPS), and the shell and the system
    /// give the rest a meaning (HOSTNAME, LOGNAME, PATH, ...) that a sourced env file or
    /// `exec` would override.
    public static let reservedNames: Set<String> = [
        "BASHOPTS", "BASHPID", "BASH_ARGC", "BASH_ARGV", "BASH_ENV", "BASH_LINENO", "BASH_SOURCE",
        "BASH_VERSINFO", "CDPATH", "ENV", "EUID", "FUNCNAME", "GROUPS", "HISTFILE", "HOME", "HOSTNAME",
        "HOSTTYPE", "IFS", "LANG", "LD_LIBRARY_PATH", "LD_PRELOAD", "LINENO", "LOGNAME", "MACHTYPE", "MAIL",
        "MAILPATH", "OLDPWD", "OPTARG", "OPTIND", "OSTYPE", "PATH", "PPID", "PS1", "PS2", "PS4", "PWD", "RANDOM",
        "SECONDS", "SHELL", "SHELLOPTS", "SHLVL", "TERM", "TMPDIR", "TZ", "UID", "USER",
    ]

    private init(checkedPrefix: String) {
        prefix = checkedPrefix
    }

    /// The variables of a snapshot and the fields that could not become one.
    public struct Result: Sendable, Hashable {
        /// The variables in their deterministic order; names are unique.
        public var variables: [EnvironmentVariable]
        /// What was left out and why.
        public var issues: [EnvironmentIssue]

        public init(variables: [EnvironmentVariable], issues: [EnvironmentIssue]) {
            self.variables = variables
            self.issues = issues
        }
    }

    /// The variables for `snapshot`.
    public func variables(for snapshot: PodSnapshot) -> Result {
        var candidates: [EnvironmentVariable] = []
        var issues: [EnvironmentIssue] = []
        let pod = snapshot.pod
        // The suffixes are podFieldSuffixes, in the same order.
        let podFields: [(String, String, String?)] = [
            ("NAME", "name", pod.name),
            ("NAMESPACE", "namespace", pod.namespace),
            ("UID", "uid", pod.uid),
            ("NODE_NAME", "nodeName", pod.nodeName),
            ("SERVICE_ACCOUNT", "serviceAccountName", pod.serviceAccountName),
            ("IP", "ip", pod.ip),
            ("IPS", "ips", pod.ips?.joined(separator: ",")),
            ("HOST_IP", "hostIP", pod.hostIP),
            ("HOST_IPS", "hostIPs", pod.hostIPs?.joined(separator: ",")),
        ]
        for (suffix, field, value) in podFields {
            guard let value else { continue }
            candidates.append(EnvironmentVariable(name: prefix + suffix, value: value, source: "pod/\(field)"))
        }
        for (section, infix, map) in [
            ("labels", "LABEL_", snapshot.labels), ("annotations", "ANNOTATION_", snapshot.annotations),
        ] {
            for key in EnvironmentNaming.byteOrder(map.keys) {
                let source = "\(section)/\(key)"
                let part = EnvironmentNaming.namePart(key)
                guard !part.isEmpty else {
                    issues.append(.noUsableCharacters(source: source))
                    continue
                }
                candidates.append(EnvironmentVariable(name: prefix + infix + part, value: map[key]!, source: source))
            }
        }
        resourceVariables(snapshot, into: &candidates, issues: &issues)

        // First claim wins. Within labels (annotations) the candidates are in key byte order,
        // so "the first in byte order of the original key" keeps the name.
        var claimed: [String: String] = [:]
        var variables: [EnvironmentVariable] = []
        for candidate in candidates {
            if let owner = claimed[candidate.name] {
                issues.append(.collision(name: candidate.name, kept: owner, dropped: candidate.source))
                continue
            }
            claimed[candidate.name] = candidate.source
            if candidate.value.utf8.contains(0) {
                issues.append(.containsNUL(name: candidate.name, source: candidate.source))
                continue
            }
            variables.append(candidate)
        }
        return Result(variables: variables, issues: issues)
    }

    private func resourceVariables(
        _ snapshot: PodSnapshot, into candidates: inout [EnvironmentVariable], issues: inout [EnvironmentIssue]
    ) {
        let names = EnvironmentNaming.byteOrder(Set(snapshot.limits.keys).union(snapshot.requests.keys))
        for resource in names {
            let part = EnvironmentNaming.namePart(resource)
            for (bound, word) in [(ResourceBound.limits, "LIMIT"), (.requests, "REQUEST")] {
                guard let reading = snapshot[bound][resource] else { continue }
                let source = "resources/\(bound.rawValue)/\(resource)"
                guard !part.isEmpty else {
                    issues.append(.noUsableCharacters(source: source))
                    continue
                }
                let base = "\(prefix)\(part)_\(word)_"
                let quantity = reading.quantity
                // The same conversions as the document's `resources` section
                // (ResourceReading.isCPU), so the two never disagree.
                let integer: (String, Int64?)
                let decimal: (String, Double)
                if ResourceReading.isCPU(resource) {
                    integer = ("MILLICORES", quantity.milliValue)
                    decimal = ("CORES", quantity.doubleValue)
                } else {
                    integer = ("BYTES", quantity.value)
                    decimal = ("MIB", quantity.doubleValue / 1_048_576)
                }
                if let value = integer.1 {
                    candidates.append(EnvironmentVariable(name: base + integer.0, value: String(value), source: source))
                } else {
                    issues.append(.outOfRange(name: base + integer.0, source: source))
                }
                if let text = ShortestDecimal.format(decimal.1) {
                    candidates.append(EnvironmentVariable(name: base + decimal.0, value: text, source: source))
                } else {
                    issues.append(.outOfRange(name: base + decimal.0, source: source))
                }
            }
        }
    }

    /// The name part for a key: ASCII letters upper-cased, each run of other characters than
    /// `A-Z`/`0-9` one `_`, no `_` at either end. Empty when the key has no letter or digit.
    public static func namePart(_ key: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(key.utf8.count)
        var pendingSeparator = false
        for byte in key.utf8 {
            let mapped: UInt8?
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): mapped = byte - 0x20
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): mapped = byte
            default: mapped = nil
            }
            guard let mapped else {
                pendingSeparator = true
                continue
            }
            if pendingSeparator && !out.isEmpty { out.append(UInt8(ascii: "_")) }
            pendingSeparator = false
            out.append(mapped)
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func byteOrder<S: Sequence<String>>(_ keys: S) -> [String] {
        keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
