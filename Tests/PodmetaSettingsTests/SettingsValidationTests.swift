import PodmetaCore
import PodmetaSettings
import PodmetaTestSupport
import Testing

/// A refused setting: the one sentence (a part of it) and the exit status.
struct RefusalCase: Sendable, CustomTestStringConvertible {
    var rule: String
    var flags: @Sendable (inout AgentFlags) -> Void = { _ in }
    var file: [String]?
    var message: String
    var status: CommandExitStatus = .usage

    var testDescription: String { rule }
}

let refusalCases: [RefusalCase] = [
    RefusalCase(
        rule: "no output at all", flags: { $0.output = nil },
        message: "nothing to do: give --output FILE, --env-file FILE, --socket PATH or --template SRC:DEST"),
    RefusalCase(rule: "an empty --output", flags: { $0.output = "" }, message: "--output needs a file path"),
    RefusalCase(rule: "an empty socket in the file", file: [#""socket": """#], message: "--socket needs a socket path"),
    RefusalCase(
        rule: "--once with a socket",
        flags: {
            $0.once = true; $0.socket = "/run/p.sock"
        },
        message: "--once and a socket exclude each other"),
    RefusalCase(
        rule: "--once with a metrics address",
        flags: {
            $0.once = true; $0.metricsAddress = try! MetricsAddressArgument.parse("127.0.0.1:9533")
        },
        message: "--once and --metrics-address exclude each other"),
    RefusalCase(
        rule: "--once with a hook of the file", flags: { $0.once = true }, file: [#""hooks": [{"command": "x"}]"#],
        message: "--once runs no hooks"),
    RefusalCase(
        rule: "a zero --poll-interval", flags: { $0.pollInterval = DurationArgument(.zero) },
        message: "--poll-interval must be longer than 0, such as 1s or 500ms"),
    RefusalCase(
        rule: "a zero hookTimeout in the file", file: [#""hookTimeout": "0""#],
        message: "--hook-timeout must be longer than 0"),
    RefusalCase(
        rule: "a resync over 24h in the file", file: [#""resync": "25h""#],
        message: "--resync can be at most 24h, not 1500m"),
    RefusalCase(
        rule: "a splay over 24h in the file", file: [#""splay": "48h""#],
        message: "--splay can be at most 24h, not 2880m"),
    RefusalCase(
        rule: "a hook's zero timeout", file: [#""hooks": [{"name": "r", "command": "x", "timeout": "0"}]"#],
        message: #"hook "r": timeout must be longer than 0"#),
    RefusalCase(
        rule: "a hook's splay over 24h", file: [#""hooks": [{"name": "r", "command": "x", "splay": "30h"}]"#],
        message: #"hook "r": splay can be at most 24h"#),
    RefusalCase(
        rule: "two file hooks of one name",
        file: [#""hooks": [{"name": "r", "command": "x"}, {"name": "r", "url": "http://localhost:1/"}]"#],
        message: #"two hooks are named "r" (the config file's hooks[0] and the config file's hooks[1]): "#
            + "give the config file's hooks names of their own"),
    RefusalCase(
        rule: "a file hook named like a --hook flag's",
        flags: { $0.hook = [try! HookArgument.parse("labels/*=x")] },
        file: [#""hooks": [{"name": "hook-1", "command": "y"}]"#],
        message: #"two hooks are named "hook-1" (--hook and the config file's hooks[0])"#),
    RefusalCase(
        rule: "a file hook named like the file's onChange",
        file: [#""onChange": "x""#, #""hooks": [{"name": "on-change", "command": "y"}]"#],
        message: #"two hooks are named "on-change" (the config file's onChange and the config file's hooks[0])"#),
    RefusalCase(
        rule: "a file hook named like a template's command",
        file: [#""hooks": [{"name": "template:/run/app.ini", "command": "y"}]"#],
        message: #"the config file's hooks[0] is named "template:/run/app.ini": template: names the templates' "#
            + "commands, give the hook another name"),
    RefusalCase(
        rule: "a file hook named like an unnamed one's default",
        file: [#""hooks": [{"command": "x"}, {"name": "file-hook-1", "command": "y"}]"#],
        message: #"two hooks are named "file-hook-1""#),
    RefusalCase(
        rule: "an outputMode that is not octal", file: [#""outputMode": "0999""#],
        message: #"the config file's outputMode "0999": write permission bits in octal"#),
    RefusalCase(
        rule: "a template mode that is not octal",
        file: [#""templates": [{"source": "a", "destination": "/run/b", "mode": "rw"}]"#],
        message: #"the config file's templates[].mode "rw""#),
    RefusalCase(
        rule: "an unknown watcher", file: [#""watcher": "fanotify""#],
        message: #"the config file's watcher must be auto, inotify or polling, not "fanotify""#),
    RefusalCase(
        rule: "an unknown envFileFormat", file: [#""envFileFormat": "json""#],
        message: #"the config file's envFileFormat must be sh or env-file, not "json""#),
    RefusalCase(
        rule: "an unknown logLevel", file: [#""logLevel": "verbose""#],
        message: "the config file's logLevel must be trace, debug, info, notice, warning, error or critical"),
    RefusalCase(
        rule: "an unknown logFormat", file: [#""logFormat": "xml""#],
        message: #"the config file's logFormat must be text or json, not "xml""#),
    RefusalCase(rule: "an empty varPrefix", file: [#""varPrefix": """#], message: "the config file's varPrefix: "),
    RefusalCase(rule: "a wait that is not one", file: [#""wait": "soon""#], message: #"the config file's wait "soon""#),
    RefusalCase(
        rule: "a wait over 24h in the file", file: [#""wait": "25h""#],
        message: #"the config file's wait "25h": a duration can be at most 24h"#),
    RefusalCase(
        rule: "a hook's wait with a MAX over 24h", file: [#""hooks": [{"command": "x", "wait": "1m:30h"}]"#],
        message: #"the config file's wait "1m:30h": a duration can be at most 24h"#),
    RefusalCase(
        rule: "a hook's wait with MAX < MIN", file: [#""hooks": [{"command": "x", "wait": "5s:1s"}]"#],
        message: "the maximum 1s is shorter than the minimum 5s"),
    RefusalCase(
        rule: "an invalid metricsAddress", file: [#""metricsAddress": "9533""#], message: "9533"),
    RefusalCase(
        rule: "--signal without =", flags: { $0.signal = ["nginx"] },
        message: #"--signal "nginx" must be PROCESS=SIGNAL"#),
    RefusalCase(
        rule: "--signal with a signal no process can catch", flags: { $0.signal = ["nginx=KILL"] },
        message: #"the signal "KILL" is not a signal a process can catch"#),
    RefusalCase(
        rule: "a remote --webhook without --webhook-allow-remote", flags: { $0.webhook = ["http://example.com/x"] },
        message: "example.com"),
    RefusalCase(
        rule: "a webhook method that is not one",
        file: [#""hooks": [{"name": "w", "url": "http://localhost:1/", "method": "p0st"}]"#],
        message: #"hook "w": the webhook method "p0st" is not an HTTP method"#),
    RefusalCase(
        rule: "a webhook backoff with MAX < INITIAL",
        file: [#""hooks": [{"name": "w", "url": "http://localhost:1/", "backoff": "1s:500ms"}]"#],
        message: #"hook "w": the webhook backoff "1s:500ms" must be INITIAL[:MAX]"#),
    RefusalCase(
        rule: "a hook selector that does not parse",
        file: [#""hooks": [{"name": "s", "command": "x", "selector": "tier in web"}]"#], message: #"hook "s": "#),
    RefusalCase(
        rule: "a hook filter that does not parse", file: [#""hooks": [{"command": "x", "on": ["pods/x"]}]"#],
        message: "pods/x"),
    RefusalCase(rule: "an item that does not parse", file: [#""items": ["labels"]"#], message: "expected PATH=FIELD"),
    RefusalCase(
        rule: "two outputs on one path", flags: { $0.envFile = "/run/podmeta-settings-test/pod.json" },
        message: "--output and --env-file both name /run/podmeta-settings-test/pod.json"),
    RefusalCase(
        rule: "an output inside the volume", flags: { $0.sources.volume = "/run/podmeta-settings-test" },
        message: "--output /run/podmeta-settings-test/pod.json is inside the watched volume"),
]

@Suite struct SettingsValidationTests {
    @Test(arguments: refusalCases)
    func refusedWithOneSentenceAndAnExitStatus(_ row: RefusalCase) throws {
        var flags = AgentFlags()
        flags.output = "/run/podmeta-settings-test/pod.json"
        row.flags(&flags)
        let error = try refusal { _ = try resolve(flags, file: row.file, output: nil) }
        #expect(error.description.contains(row.message), "\(error.description)")
        #expect(error.exitStatus == row.status)
    }

    /// The config file: unreadable is 66, not JSON or with an unknown key 65.
    @Test(
        arguments: [
            (nil, CommandExitStatus.cannotRead, "cannot read the config file"),
            ("{", .dataError, "podmeta.json"),
            (#"{"outptu": "/run/x"}"#, .dataError, "outptu"),
            ("[]", .dataError, "must hold a JSON object"),
        ] as [(String?, CommandExitStatus, String)])
    func theConfigFileIsReadOrRefused(content: String?, status: CommandExitStatus, message: String) throws {
        let directory = TemporaryDirectory()
        if let content { directory.write("podmeta.json", content) }
        let error = try refusal { _ = try AgentSettings.readConfigFile(directory.sub("podmeta.json")) }
        #expect(error.exitStatus == status)
        #expect(error.description.contains(message), "\(error.description)")
    }

    @Test func aValidConfigFileIsRead() throws {
        let directory = TemporaryDirectory()
        directory.write("podmeta.json", #"{"output": "/run/x.json", "splay": "3s"}"#)
        let file = try AgentSettings.readConfigFile(directory.sub("podmeta.json"))
        #expect(file.output == "/run/x.json" && file.splay == .seconds(3))
    }

    /// The exit statuses are README's table; a change to one is a change to the interface.
    @Test func exitStatusesAreFixed() {
        #expect(CommandExitStatus.allCases.map(\.rawValue) == [0, 1, 2, 3, 65, 66])
    }
}

/// The values flags and config keys share: each parser accepts the one syntax or says why not.
@Suite struct SettingValueTests {
    @Test(arguments: [
        ("500ms", "500ms"), ("2s", "2s"), ("1m30s", "90s"), ("0", "0"), ("24h", "1440m"),
        ("3", "a duration needs a unit: write 3s, 3ms or 3m"), ("25h", "a duration can be at most 24h"),
        ("soon", "write a duration such as 500ms, 2s, 1m30s or 1h"),
    ])
    func durations(text: String, expected: String) {
        #expect(Result { try DurationArgument.parse(text).description }.text == expected)
    }

    @Test(arguments: [
        ("0644", "420"), ("600", "384"), ("7777", "4095"),
        ("0999", "write permission bits in octal, such as 0644 or 0600"),
        ("17777", "write permission bits in octal, such as 0644 or 0600"),
        ("", "write permission bits in octal, such as 0644 or 0600"),
    ])
    func fileModes(text: String, expected: String) {
        #expect(Result { "\(try FileModeArgument.parse(text).bits)" }.text == expected)
    }

    @Test(arguments: [
        ("labels/version=/bin/reload", "labels/version -> /bin/reload"),
        ("labels/a,annotations/b=x=y", "labels/a,annotations/b -> x=y"),
        ("=x", "write FILTERS=COMMAND, such as labels/version=/usr/local/bin/reload"),
        ("labels/a=", "write FILTERS=COMMAND, such as labels/version=/usr/local/bin/reload"),
    ])
    func hooks(text: String, expected: String) {
        let result = Result {
            let hook = try HookArgument.parse(text)
            return "\(hook.filters.map(\.description).joined(separator: ",")) -> \(hook.command)"
        }
        #expect(result.text == expected)
    }

    @Test(arguments: [
        ("app.mustache:/run/app", "app.mustache -> /run/app 0644"),
        ("a:/run/b:0600", "a -> /run/b 0600"),
        ("a", "write SRC:DEST or SRC:DEST:MODE, such as app.ini.mustache:/run/podmeta/app.ini:0640"),
        ("a:/b:9", "write permission bits in octal, such as 0644 or 0600"),
    ])
    func templates(text: String, expected: String) {
        let result = Result {
            let spec = try TemplateSpec(parsing: text)
            return "\(spec.source) -> \(spec.destination) \(octal(spec.mode))"
        }
        #expect(result.text == expected)
    }
}

/// The error `body` throws, which must be one the command line reports.
func refusal(_ body: () throws -> Void) throws -> any CommandLineError {
    let error = try #require(throws: (any Error).self, performing: body)
    return try #require(error as? any CommandLineError, "\(error) has no exit status")
}

extension Result where Success == String {
    /// The value, or the error's text: one column of a table for both.
    var text: String {
        switch self {
        case .success(let value): value
        case .failure(let error): "\(error)"
        }
    }
}
