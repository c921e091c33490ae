import PodmetaState
import Testing

@Suite struct MetricsRegistryTests {
    static let plain = Metric("t_events_total", .counter, help: "Events.")
    static let labelled = Metric("t_writes_total", .counter, help: "Writes, by output.", labels: ["output", "result"])
    static let level = Metric("t_level", .gauge, help: "A level.")
    static let duration = Metric("t_duration_seconds", .summary, help: "Durations.", labels: ["hook"])
    static let unlabelledSummary = Metric("t_wait_seconds", .summary, help: "Waits.")

    static func registry() -> MetricsRegistry {
        MetricsRegistry(families: [plain, labelled, level, duration, unlabelledSummary])
    }

    /// Before any sample: HELP and TYPE for every family, zero for label-less counters and
    /// summaries, no invented series for labelled families or gauges.
    @Test func declaredFamiliesRenderBeforeTheirFirstSample() {
        #expect(
            Self.registry().render() == """
                # HELP t_duration_seconds Durations.
                # TYPE t_duration_seconds summary
                # HELP t_events_total Events.
                # TYPE t_events_total counter
                t_events_total 0
                # HELP t_level A level.
                # TYPE t_level gauge
                # HELP t_wait_seconds Waits.
                # TYPE t_wait_seconds summary
                t_wait_seconds_sum 0
                t_wait_seconds_count 0
                # HELP t_writes_total Writes, by output.
                # TYPE t_writes_total counter

                """)
    }

    @Test func samplesRenderSortedWithLabelsInDeclaredOrder() {
        let registry = Self.registry()
        registry.increment(Self.plain)
        registry.increment(Self.plain, by: 2)
        // Given out of order: rendered in the declared order.
        registry.increment(Self.labelled, labels: ["result": "ok", "output": "json"])
        registry.increment(Self.labelled, labels: ["output": "env-file", "result": "ok"], by: 4)
        registry.set(Self.level, to: 0.25)
        registry.observe(Self.duration, labels: ["hook": "reload"], 0.5)
        registry.observe(Self.duration, labels: ["hook": "reload"], 1.5)
        let samples = registry.render().split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(
            samples == [
                #"t_duration_seconds_sum{hook="reload"} 2"#, #"t_duration_seconds_count{hook="reload"} 2"#,
                "t_events_total 3", "t_level 0.25", "t_wait_seconds_sum 0", "t_wait_seconds_count 0",
                #"t_writes_total{output="env-file",result="ok"} 4"#, #"t_writes_total{output="json",result="ok"} 1"#,
            ])
        #expect(registry.value(Self.plain) == 3)
        #expect(registry.value(Self.duration, labels: ["hook": "reload"]) == 2)
        #expect(registry.count(Self.duration, labels: ["hook": "reload"]) == 2)
        #expect(registry.value(Self.labelled, labels: ["output": "none", "result": "ok"]) == nil)
    }

    @Test(arguments: [
        ("plain", #"{output="plain",result="r"}"#),
        (#"quo"te"#, #"{output="quo\"te",result="r"}"#),
        (#"back\slash"#, #"{output="back\\slash",result="r"}"#),
        ("new\nline", #"{output="new\nline",result="r"}"#),
        ("template:/etc/app ü.ini", #"{output="template:/etc/app ü.ini",result="r"}"#),
    ])
    func labelValuesAreEscaped(value: String, rendered: String) {
        let registry = Self.registry()
        registry.increment(Self.labelled, labels: ["output": value, "result": "r"])
        #expect(registry.render().contains("t_writes_total\(rendered) 1\n"))
    }

    @Test func helpTextEscapesBackslashAndNewlineOnly() {
        let metric = Metric("t_odd", .gauge, help: #"a "quoted" back\slash"# + "\nand a second line")
        let registry = MetricsRegistry(families: [metric])
        #expect(registry.render().hasPrefix(#"# HELP t_odd a "quoted" back\\slash\nand a second line"# + "\n"))
    }

    @Test(arguments: [
        (1.0, "1"), (0, "0"), (-3, "-3"), (0.5, "0.5"), (1e16, "1e+16"), (Double.infinity, "+Inf"),
        (-Double.infinity, "-Inf"), (Double.nan, "NaN"), (1_796_524_218.535591, "1796524218.535591"),
    ])
    func valuesUseTheTextFormat(value: Double, text: String) {
        let registry = MetricsRegistry(families: [Self.level])
        registry.set(Self.level, to: value)
        #expect(registry.render().hasSuffix("t_level \(text)\n"))
    }

    /// A family used without being declared still renders, with its own HELP and TYPE.
    @Test func anUndeclaredFamilyRendersOnFirstUse() {
        let registry = MetricsRegistry(families: [])
        #expect(registry.render().isEmpty)
        registry.increment(Self.plain)
        #expect(registry.render() == "# HELP t_events_total Events.\n# TYPE t_events_total counter\nt_events_total 1\n")
    }
}
