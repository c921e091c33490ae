import Glibc
import PodmetaProcess
import PodmetaTestSupport
import Testing

extension AgentIntegrationTests {
    /// `{{>name}}` in a template is `name.mustache` next to it, read at render time.
    @Suite(.enabled(if: PodmetaBinary.path != nil, "\(PodmetaBinary.missing)"))
    struct TemplatePartialTests {
        struct Row: Sendable, Codable, CustomTestStringConvertible {
            var template: String
            /// The rendered file, or nil when the render must fail.
            var rendered: String?
            /// What stderr must say when it fails.
            var says: String = ""
            var testDescription: String { template }
        }

        @Test(arguments: [
            Row(template: "a={{labels.app}}\n{{>common}}end\n", rendered: "a=web\ncommon web\nend\n"),
            // A partial not supplied renders empty (an error in strict mode).
            Row(template: "a{{>missing}}b\n", rendered: "ab\n"),
            Row(template: "{{>nested}}", rendered: "[common web\n]"),
            Row(template: "{{>../common}}", rendered: nil, says: "not a file name"),
            Row(template: "{{>fifo}}", rendered: nil, says: "it is a FIFO, not a regular file"),
            Row(template: "{{>broken}}", rendered: nil, says: "broken.mustache"),
        ])
        func partialsAreReadFromTheTemplatesDirectory(_ row: Row) async {
            await #expect(processExitsWith: .success) { [row] in
                await inChild {
                    try await TemplatePartialScenario.render(
                        template: row.template, rendered: row.rendered, says: row.says)
                }
            }
        }
    }
}

enum TemplatePartialScenario {
    static func render(template: String, rendered: String?, says: String) async throws {
        let directory = TemporaryDirectory("podmeta-partials")
        let volume = directory.sub("podinfo")
        Files.mkdir(volume)
        Files.write(volume + "/labels", "app=\"web\"\n")
        let templates = directory.sub("templates")
        Files.mkdir(templates)
        Files.write(templates + "/app.tmpl", template)
        Files.write(templates + "/common.mustache", "common {{labels.app}}\n")
        Files.write(templates + "/nested.mustache", "[{{>common}}]")
        Files.write(templates + "/broken.mustache", "{{#open}}")
        Files.write(directory.sub("common.mustache"), "outside\n")
        #expect(mkfifo(templates + "/fifo.mustache", 0o644) == 0)
        let destination = directory.sub("app.ini")
        let run = try PodmetaRun.start([
            "agent", "--once", "--volume", volume, "--item", "labels=metadata.labels", "--output",
            directory.sub("pod.json"), "--template", "\(templates)/app.tmpl:\(destination)",
        ])
        let (status, _, stderr) = await run.finish()
        if let rendered {
            #expect(status == .exited(0), "\(status); stderr: \(stderr)")
            #expect(Files.readText(destination) == rendered, "stderr: \(stderr)")
        } else {
            #expect(status != .exited(0), "\(status); stderr: \(stderr)")
            #expect(stderr.contains(says), "stderr: \(stderr)")
            #expect(!Files.exists(destination))
        }
    }
}
