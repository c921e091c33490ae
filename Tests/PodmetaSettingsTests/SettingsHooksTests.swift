import PodmetaAgent
import PodmetaCore
import PodmetaProcess
import PodmetaSettings
import PodmetaWebhook
import Testing

/// A resolved hook as one line: name and kind, then its filters, quiescence, splay and
/// timeout.
struct HookSummary: CustomStringConvertible {
    var kind: String
    var line: String

    init(_ hook: HookConfiguration) {
        switch hook.action {
        case .command(.shell(let text)): kind = "\(hook.name): shell \(text)"
        case .command(.argv(let argv)): kind = "\(hook.name): argv \(argv.joined(separator: " "))"
        case .perform(let performer as WebhookHook): kind = "\(hook.name): webhook \(performer.method)"
        case .perform(let performer as SignalHook): kind = "\(hook.name): signal \(performer.signal)"
        case .perform: kind = "\(hook.name): other"
        }
        let wait = hook.quiescence.map { "\(DurationText.format($0.minimum)):\(DurationText.format($0.maximum))" }
        line =
            "\(kind) on=\(hook.filters.map(\.description).joined(separator: ",")) wait=\(wait ?? "none")"
            + " splay=\(DurationText.format(hook.splay)) timeout=\(DurationText.format(hook.timeout))"
            + (hook.selector == nil ? "" : " selector")
    }

    var description: String { line }
}

struct HookCase: Sendable, CustomTestStringConvertible {
    var rule: String
    var flags: @Sendable (inout AgentFlags) -> Void = { _ in }
    var file: [String] = []
    var expected: [String]

    var testDescription: String { rule }
}

let hookCases: [HookCase] = [
    HookCase(
        rule: "every kind of flag hook shares --wait, --splay and --hook-timeout, in a fixed order",
        flags: {
            $0.signal = ["nginx=USR1"]
            $0.webhook = ["http://localhost:9090/-/reload"]
            $0.hook = [try! HookArgument.parse("labels/version,annotations/example.com/*=b")]
            $0.onChange = "a"
            $0.wait = try! QuiescenceArgument.parse("1s")
            $0.splay = try! DurationArgument.parse("5s")
            $0.hookTimeout = try! DurationArgument.parse("10s")
        },
        expected: [
            "on-change: shell a on= wait=1s:4s splay=5s timeout=10s",
            "hook-1: shell b on=labels/version,annotations/example.com/* wait=1s:4s splay=5s timeout=10s",
            "webhook-1: webhook POST on= wait=1s:4s splay=5s timeout=10s",
            "signal-1: signal SIGUSR1 on= wait=1s:4s splay=5s timeout=10s",
        ]),
    HookCase(
        rule: "without --wait and --splay a hook runs at once, unsplayed",
        flags: { $0.onChange = "a" },
        expected: ["on-change: shell a on= wait=none splay=0 timeout=30s"]),
    HookCase(
        rule: "a file hook without its own wait, splay or timeout takes the file's",
        file: [
            #""wait": "2s""#, #""splay": "10s""#, #""hookTimeout": "1m""#,
            #""hooks": [{"name": "reload", "command": ["/bin/reload", "-g"], "on": ["labels/version"]}]"#,
        ],
        expected: ["reload: argv /bin/reload -g on=labels/version wait=2s:8s splay=10s timeout=1m"]),
    HookCase(
        rule: "a file hook's own wait, splay and timeout win over the file's and the flags'",
        flags: {
            $0.wait = try! QuiescenceArgument.parse("3s")
            $0.splay = try! DurationArgument.parse("7s")
        },
        file: [
            #""wait": "5s""#, #""splay": "10s""#,
            #""hooks": [{"name": "r", "command": "x", "wait": "1s:2s", "splay": "0", "timeout": "3s"}]"#,
        ],
        expected: ["r: shell x on= wait=1s:2s splay=0 timeout=3s"]),
    HookCase(
        rule: "--wait and --splay are the defaults of the file's hooks too",
        flags: {
            $0.wait = try! QuiescenceArgument.parse("1s")
            $0.splay = try! DurationArgument.parse("7s")
        },
        file: [#""wait": "2s""#, #""splay": "10s""#, #""hooks": [{"name": "r", "command": "x"}]"#],
        expected: ["r: shell x on= wait=1s:4s splay=7s timeout=30s"]),
    HookCase(
        rule: "the flags' hooks come before the file's, the file's onChange among the flags' when no --on-change",
        flags: { $0.hook = [try! HookArgument.parse("labels/*=b")] },
        file: [#""onChange": "a""#, #""hooks": [{"command": "c"}]"#],
        expected: [
            "on-change: shell a on= wait=none splay=0 timeout=30s",
            "hook-1: shell b on=labels/* wait=none splay=0 timeout=30s",
            "file-hook-1: shell c on= wait=none splay=0 timeout=30s",
        ]),
    HookCase(
        rule: "the file's unnamed hooks are file-hook-N by their position, never a flag hook's hook-N",
        flags: {
            $0.hook = [try! HookArgument.parse("labels/*=a")]
            $0.signal = ["nginx=HUP"]
        },
        file: [#""hooks": [{"name": "r", "command": "b"}, {"command": "c"}, {"signal": {"process": "x"}}]"#],
        expected: [
            "hook-1: shell a on=labels/* wait=none splay=0 timeout=30s",
            "signal-1: signal SIGHUP on= wait=none splay=0 timeout=30s",
            "r: shell b on= wait=none splay=0 timeout=30s",
            "file-hook-2: shell c on= wait=none splay=0 timeout=30s",
            "file-hook-3: signal SIGHUP on= wait=none splay=0 timeout=30s",
        ]),
    HookCase(
        rule: "a file hook keeps its selector, webhook method and signal",
        file: [
            #""hooks": [{"name": "web", "command": "x", "selector": "tier in (web,api)"},"#
                + #"{"name": "w", "url": "http://localhost:1/x", "method": "put"},"#
                + #"{"name": "s", "signal": {"process": "nginx"}}]"#
        ],
        expected: [
            "web: shell x on= wait=none splay=0 timeout=30s selector",
            "w: webhook PUT on= wait=none splay=0 timeout=30s",
            "s: signal SIGHUP on= wait=none splay=0 timeout=30s",
        ]),
]

@Suite struct SettingsHooksTests {
    @Test(arguments: hookCases)
    func hooksResolve(_ row: HookCase) throws {
        var flags = AgentFlags()
        row.flags(&flags)
        let settings = try resolve(flags, file: row.file)
        #expect(settings.hooks.map { HookSummary($0).line } == row.expected)
    }

    /// A template's `command` is a reload like any hook: it takes the agent's wait and
    /// splay (a template has none of its own).
    @Test(arguments: [
        (false, [String](), "wait=none splay=0"),
        (true, [String](), "wait=1s:4s splay=5s"),
        (false, [#""wait": "2s""#, #""splay": "10s""#], "wait=2s:8s splay=10s"),
        (true, [#""wait": "2s""#, #""splay": "10s""#], "wait=1s:4s splay=5s"),
    ])
    func templateCommandsTakeTheAgentsWaitAndSplay(withFlags: Bool, file: [String], expected: String) throws {
        var flags = AgentFlags()
        if withFlags {
            flags.wait = try QuiescenceArgument.parse("1s")
            flags.splay = try DurationArgument.parse("5s")
        }
        let settings = try resolve(flags, file: file)
        let wait = settings.hookWait.map { "\(DurationText.format($0.minimum)):\(DurationText.format($0.maximum))" }
        #expect("wait=\(wait ?? "none") splay=\(DurationText.format(settings.hookSplay))" == expected)
    }

    /// `on` filters take the same syntax as `--hook` and `exec --on`.
    @Test(arguments: [
        ("labels/version", "labels/version"),
        ("annotations/example.com/*", "annotations/example.com/*"),
        ("labels/a,annotations/b", "labels/a,annotations/b"),
    ])
    func changeFiltersParse(text: String, expected: String) throws {
        let parsed = try ChangeFilterArgument.parse(text)
        #expect(parsed.filters.map(\.description).joined(separator: ",") == expected)
        let list = text.split(separator: ",").map { "\"\($0)\"" }.joined(separator: ",")
        let file = try resolve(AgentFlags(), file: [#""hooks": [{"command": "x", "on": [\#(list)]}]"#])
        #expect(file.hooks.first?.filters == parsed.filters)
    }
}
