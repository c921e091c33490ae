import PodmetaCore
import PodmetaSettings
import Testing

/// One setting resolved three times: from nothing (the default), from the config file, and
/// from a flag together with the file (the flag wins).
struct PrecedenceCase: Sendable, CustomTestStringConvertible {
    var setting: String
    /// What every resolution needs besides this setting (a socket for `socketMode`, a hook
    /// for `splay`).
    var base: @Sendable (inout AgentFlags) -> Void = { _ in }
    var baseFile = ""
    var flag: @Sendable (inout AgentFlags) -> Void
    /// The config file's member, such as `"outputMode": "0600"`.
    var file: String
    var read: @Sendable (AgentSettings) -> String
    var byDefault: String
    var fromFile: String
    var fromFlag: String

    var testDescription: String { setting }
}

/// Resolves `flags` with a config file of `members` (nil: no file); unless the flags give
/// one, `output` is the output, so that there is something to do.
func resolve(
    _ flags: AgentFlags, file members: [String]? = nil, environment: [String: String] = [:],
    output: String? = "/run/podmeta-settings-test/pod.json"
) throws -> AgentSettings {
    var flags = flags
    if flags.output == nil && flags.envFile == nil { flags.output = output }
    let file = try members.map { members in
        try AgentConfigFile(
            parsing: Array("{\(members.filter { !$0.isEmpty }.joined(separator: ","))}".utf8), path: "podmeta.json")
    }
    return try AgentSettings(flags: flags, file: file, environment: environment)
}

func octal(_ bits: UInt32) -> String { "0" + String(bits, radix: 8) }

func duration(_ text: String) -> DurationArgument { try! DurationArgument.parse(text) }

let precedenceCases: [PrecedenceCase] = [
    PrecedenceCase(
        setting: "outputMode", flag: { $0.outputMode = FileModeArgument(0o640) }, file: #""outputMode": "0600""#,
        read: { octal($0.outputMode) }, byDefault: "0644", fromFile: "0600", fromFlag: "0640"),
    PrecedenceCase(
        setting: "output", base: { $0.envFile = "/run/podmeta-settings-test/pod.env" },
        flag: { $0.output = "/run/flag.json" }, file: #""output": "/run/file.json""#,
        read: { $0.output ?? "none" }, byDefault: "none", fromFile: "/run/file.json", fromFlag: "/run/flag.json"),
    PrecedenceCase(
        setting: "envFile", flag: { $0.envFile = "/run/flag.env" }, file: #""envFile": "/run/file.env""#,
        read: { $0.envFile ?? "none" }, byDefault: "none", fromFile: "/run/file.env", fromFlag: "/run/flag.env"),
    PrecedenceCase(
        setting: "envFileFormat", flag: { $0.envFileFormat = .sh }, file: #""envFileFormat": "env-file""#,
        read: { "\($0.envFileFormat)" }, byDefault: "sh", fromFile: "envFile", fromFlag: "sh"),
    PrecedenceCase(
        setting: "varPrefix", flag: { $0.varPrefix = try! NamingArgument.parse("FLAG_") },
        file: #""varPrefix": "FILE_""#, read: { $0.naming.prefix }, byDefault: "POD_", fromFile: "FILE_",
        fromFlag: "FLAG_"),
    PrecedenceCase(
        setting: "socketMode", base: { $0.socket = "/run/podmeta-settings-test/p.sock" },
        flag: { $0.socketMode = FileModeArgument(0o666) }, file: #""socketMode": "0600""#,
        read: { $0.socket.map { octal($0.mode) } ?? "no socket" }, byDefault: "0660", fromFile: "0600",
        fromFlag: "0666"),
    PrecedenceCase(
        setting: "allowUids", base: { $0.socket = "/run/podmeta-settings-test/p.sock" },
        flag: { $0.allowUid = [7, 8] }, file: #""allowUids": [1000]"#,
        read: { $0.socket?.allowedUIDs.map { "\($0.sorted())" } ?? "anyone" }, byDefault: "anyone",
        fromFile: "[1000]", fromFlag: "[7, 8]"),
    PrecedenceCase(
        setting: "metricsAddress", flag: { $0.metricsAddress = try! MetricsAddressArgument.parse("0.0.0.0:9000") },
        file: #""metricsAddress": "127.0.0.1:9533""#, read: { $0.metricsAddress.map { "\($0)" } ?? "off" },
        byDefault: "off", fromFile: "127.0.0.1:9533", fromFlag: "0.0.0.0:9000"),
    PrecedenceCase(
        setting: "watcher", flag: { $0.watcher = .inotify }, file: #""watcher": "polling""#,
        read: { "\($0.watcher)" }, byDefault: "auto", fromFile: "polling", fromFlag: "inotify"),
    PrecedenceCase(
        setting: "pollInterval", flag: { $0.pollInterval = duration("500ms") }, file: #""pollInterval": "2s""#,
        read: { DurationText.format($0.pollInterval) }, byDefault: "1s", fromFile: "2s", fromFlag: "500ms"),
    PrecedenceCase(
        setting: "resync (0 turns it off)", flag: { $0.resync = duration("0") }, file: #""resync": "5m""#,
        read: { $0.resync.map(DurationText.format) ?? "off" }, byDefault: "1m", fromFile: "5m", fromFlag: "off"),
    PrecedenceCase(
        setting: "hookTimeout", flag: { $0.hookTimeout = duration("5s") }, file: #""hookTimeout": "10s""#,
        read: { DurationText.format($0.hookTimeout) }, byDefault: "30s", fromFile: "10s", fromFlag: "5s"),
    PrecedenceCase(
        setting: "hookTimeout of a hook", base: { $0.onChange = "true" }, flag: { $0.hookTimeout = duration("5s") },
        file: #""hookTimeout": "10s""#, read: { $0.hooks.map { DurationText.format($0.timeout) }.joined() },
        byDefault: "30s", fromFile: "10s", fromFlag: "5s"),
    PrecedenceCase(
        setting: "splay", base: { $0.onChange = "true" }, flag: { $0.splay = duration("20s") },
        file: #""splay": "10s""#, read: { $0.hooks.map { DurationText.format($0.splay) }.joined() },
        byDefault: "0", fromFile: "10s", fromFlag: "20s"),
    PrecedenceCase(
        setting: "wait", base: { $0.onChange = "true" }, flag: { $0.wait = try! QuiescenceArgument.parse("1s") },
        file: #""wait": "2s:10s""#, read: { $0.hooks.map { "\($0.quiescence.map { "\($0)" } ?? "none")" }.joined() },
        byDefault: "none", fromFile: "min 2.0 seconds, max 10.0 seconds", fromFlag: "min 1.0 seconds, max 4.0 seconds"),
    PrecedenceCase(
        setting: "onChange", flag: { $0.onChange = "flag" }, file: #""onChange": "file""#,
        read: { $0.hooks.map(HookSummary.init).map(\.kind).joined() }, byDefault: "",
        fromFile: "on-change: shell file", fromFlag: "on-change: shell flag"),
    PrecedenceCase(
        setting: "volume", flag: { $0.sources.volume = "/flag/podinfo" }, file: #""volume": "/file/podinfo""#,
        read: { $0.volume ?? "none" }, byDefault: "/etc/podinfo", fromFile: "/file/podinfo",
        fromFlag: "/flag/podinfo"),
    PrecedenceCase(
        setting: "envPrefix", flag: { $0.sources.envPrefix = "FLAG_" }, file: #""envPrefix": "FILE_""#,
        read: { $0.loader.assembler.environment.prefix }, byDefault: "POD_", fromFile: "FILE_", fromFlag: "FLAG_"),
    PrecedenceCase(
        setting: "items", flag: { $0.sources.items = [try! VolumeItem(parsing: "zone=metadata.labels['zone']")] },
        file: #""items": ["tier=metadata.labels['tier']"]"#,
        read: { $0.loader.assembler.items.map(\.path).joined(separator: ",") },
        byDefault: "labels,annotations,name,namespace,uid,cpu_limit,cpu_request,mem_limit,mem_request",
        fromFile: "tier", fromFlag: "zone"),
    PrecedenceCase(
        setting: "includeLabels", flag: { $0.sources.includeLabels = ["app"] },
        file: #""includeLabels": ["tier", "zone"]"#,
        read: { $0.loader.assembler.filter.includeLabels.joined(separator: ",") }, byDefault: "",
        fromFile: "tier,zone", fromFlag: "app"),
    PrecedenceCase(
        setting: "excludeAnnotations", flag: { $0.sources.excludeAnnotations = ["a/*"] },
        file: #""excludeAnnotations": ["kubectl.kubernetes.io/*"]"#,
        read: { $0.loader.assembler.filter.excludeAnnotations.joined(separator: ",") }, byDefault: "",
        fromFile: "kubectl.kubernetes.io/*", fromFlag: "a/*"),
    PrecedenceCase(
        setting: "templates", flag: { $0.template = [try! TemplateSpec(parsing: "flag.mustache:/run/flag.out")] },
        file: #""templates": [{"source": "file.mustache", "destination": "/run/file.out", "mode": "0600"}]"#,
        read: { $0.templates.map { "\($0.destination):\(octal($0.mode))" }.joined() }, byDefault: "",
        fromFile: "/run/file.out:0600", fromFlag: "/run/flag.out:0644"),
]

@Suite struct SettingsPrecedenceTests {
    @Test(arguments: precedenceCases)
    func aFlagWinsOverTheConfigFileWhichWinsOverTheDefault(_ row: PrecedenceCase) throws {
        var base = AgentFlags()
        row.base(&base)
        var flagged = base
        row.flag(&flagged)
        #expect(row.read(try resolve(base)) == row.byDefault)
        #expect(row.read(try resolve(base, file: [row.baseFile])) == row.byDefault)
        #expect(row.read(try resolve(base, file: [row.baseFile, row.file])) == row.fromFile)
        #expect(row.read(try resolve(flagged, file: [row.baseFile, row.file])) == row.fromFlag)
    }

    /// `--volume`, the file's `volume`, `PODMETA_VOLUME` when not empty, `/etc/podinfo`;
    /// `--no-volume` beats them all.
    @Test(
        arguments: [
            (nil, nil, nil, false, "/etc/podinfo"),
            (nil, nil, "", false, "/etc/podinfo"),
            (nil, nil, "/env", false, "/env"),
            (nil, "/file", "/env", false, "/file"),
            ("/flag", "/file", "/env", false, "/flag"),
            (nil, "/file", "/env", true, "none"),
        ] as [(String?, String?, String?, Bool, String)])
    func theVolumeComesFromTheFlagTheFileTheEnvironmentOrTheDefault(
        flag: String?, file: String?, environment: String?, noVolume: Bool, expected: String
    ) throws {
        var flags = AgentFlags()
        flags.sources.volume = flag
        flags.sources.noVolume = noVolume
        let settings = try resolve(
            flags, file: [file.map { #""volume": "\#($0)""# } ?? ""],
            environment: environment.map { ["PODMETA_VOLUME": $0] } ?? [:])
        #expect((settings.volume ?? "none") == expected)
        #expect(settings.loader.volume == settings.volume)
    }

    /// `--strict` and the file's `strict` add up: either one makes the sources strict.
    @Test(
        arguments: [(false, nil, false), (false, false, false), (false, true, true), (true, false, true)]
            as [(Bool, Bool?, Bool)])
    func strictComesFromTheFlagOrTheFile(flag: Bool, file: Bool?, expected: Bool) throws {
        var flags = AgentFlags()
        flags.sources.strict = flag
        let settings = try resolve(flags, file: [file.map { #""strict": \#($0)"# } ?? ""])
        #expect(settings.loader.assembler.strict == expected)
    }

    /// The log settings have no agent flag here (the executable's `--log-*` win over them
    /// when it bootstraps logging): only the file sets them.
    @Test func theLogSettingsComeFromTheFile() throws {
        let none = try resolve(AgentFlags(), file: [])
        #expect(none.logFormat == nil && none.logLevel == nil)
        let set = try resolve(AgentFlags(), file: [#""logFormat": "json""#, #""logLevel": "debug""#])
        #expect(set.logFormat == .json && set.logLevel == .debug)
    }

    /// The server runs for a socket, a metrics address, or both on one event loop.
    @Test(
        arguments: [
            (nil, nil, "none"),
            ("/run/p.sock", nil, "/run/p.sock, no metrics"),
            (nil, "127.0.0.1:9533", "no socket, 127.0.0.1:9533"),
            ("/run/p.sock", "127.0.0.1:9533", "/run/p.sock, 127.0.0.1:9533"),
        ] as [(String?, String?, String)])
    func theServerServesTheSocketTheMetricsAddressOrBoth(socket: String?, metrics: String?, expected: String) throws {
        var flags = AgentFlags()
        flags.socket = socket
        flags.metricsAddress = try metrics.map(MetricsAddressArgument.parse)
        let server = try resolve(flags).server
        let text = server.map { "\($0.path ?? "no socket"), \($0.metricsAddress.map { "\($0)" } ?? "no metrics")" }
        #expect((text ?? "none") == expected)
    }
}
