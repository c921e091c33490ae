import Testing

@testable import PodmetaCore

@Suite struct HookConfigFileTests {
    func parse(_ text: String) throws(ConfigFileError) -> [AgentConfigFile.Hook] {
        try AgentConfigFile(parsing: Array(text.utf8), path: "podmeta.json").hooks ?? []
    }

    @Test func webhookEntriesKeepEverySetting() throws {
        let hooks = try parse(
            """
            {"hooks": [{"name": "reload", "url": "http://localhost:9090/-/reload", "method": "PUT",
                        "headers": {"X-B": "2", "Authorization": "Bearer t"}, "expectStatus": [200, 202],
                        "retries": 5, "backoff": "1s:1m", "allowRemote": false, "on": ["labels/version"]}]}
            """)
        #expect(
            hooks.first?.kind
                == .webhook(
                    .init(
                        url: "http://localhost:9090/-/reload", method: "PUT",
                        headers: [.init(name: "Authorization", value: "Bearer t"), .init(name: "X-B", value: "2")],
                        expectStatus: [200, 202], retries: 5, backoff: "1s:1m", allowRemote: false)))
        #expect(hooks.first?.on == ["labels/version"])
    }

    @Test func splayAtTheTopAndPerHook() throws {
        let file = try AgentConfigFile(
            parsing: Array(#"{"splay": "30s", "hooks": [{"command": "a", "splay": "500ms"}, {"command": "b"}]}"#.utf8),
            path: "podmeta.json")
        #expect(file.splay == .seconds(30))
        #expect(file.hooks?.map(\.splay) == [.milliseconds(500), nil])
    }

    @Test func signalAndCommandEntries() throws {
        let hooks = try parse(
            """
            {"hooks": [{"signal": {"process": "/nginx: master/", "signal": "USR1", "multiple": "all"}},
                       {"command": ["/bin/reload", "-v"]}]}
            """)
        #expect(hooks.map(\.name) == ["file-hook-1", "file-hook-2"])
        #expect(hooks.first?.kind == .signal(.init(process: "/nginx: master/", signal: "USR1", multiple: "all")))
        #expect(hooks.last?.kind == .command(.argv(["/bin/reload", "-v"])))
    }

    @Test(arguments: [
        (#"{"hooks": [{"name": "x"}]}"#, "hooks[0] needs exactly one of command, url (a webhook) or signal"),
        (#"{"hooks": [{"command": "a", "url": "http://localhost/"}]}"#, "exactly one of"),
        (#"{"hooks": [{"command": "a", "retries": 2}]}"#, "hooks[0].retries applies to webhooks (url) only"),
        (#"{"hooks": [{"url": "http://localhost/", "retries": -1}]}"#, "hooks[0].retries must be a whole number"),
        (#"{"hooks": [{"url": "http://localhost/", "expectStatus": 99}]}"#, "hooks[0].expectStatus must be"),
        (#"{"hooks": [{"url": "http://localhost/", "headers": {"A": 1}}]}"#, "hooks[0].headers.A must be a string"),
        (#"{"hooks": [{"url": "http://localhost/", "headers": {"A": "x\ny"}}]}"#, "not a valid header"),
        (#"{"hooks": [{"url": "http://localhost/", "headers": {"A B": "x"}}]}"#, "not a valid header"),
        (#"{"hooks": [{"signal": "nginx"}]}"#, "hooks[0].signal must be an object"),
        (#"{"hooks": [{"signal": {"signal": "HUP"}}]}"#, "hooks[0].signal.process must name the process"),
        (#"{"hooks": [{"signal": {"process": "a", "multiple": "some"}}]}"#, "must be all or refuse"),
        (#"{"hooks": [{"signal": {"process": "a", "pid": 1}}]}"#, "hooks[0].signal.pid is not a known setting"),
    ])
    func refuses(text: String, message: String) {
        #expect {
            try parse(text)
        } throws: { error in
            "\(error)".contains(message)
        }
    }
}
