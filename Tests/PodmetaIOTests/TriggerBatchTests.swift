import Testing

@testable import PodmetaIO

struct TriggerBatchTests {
    static let cases: [(added: [WatchTrigger], expected: [WatchTrigger])] = [
        ([.dataSwapped, .dataSwapped, .dataSwapped], [.dataSwapped]),
        ([.filesChanged(["a"]), .filesChanged(["b", "a"])], [.filesChanged(["a", "b"])]),
        ([.dataSwapped, .filesChanged(["a"]), .dataSwapped], [.dataSwapped, .filesChanged(["a"])]),
        ([.dataSwapped, .overflow, .filesChanged(["a"])], [.overflow]),
        ([.resync], [.resync]),
        ([.resync, .dataSwapped], [.dataSwapped]),
        ([.dataSwapped, .resync], [.dataSwapped]),
        ([.dataSwapped, .volumeMissing, .volumeMissing], [.dataSwapped, .volumeMissing]),
        ([.volumeMissing, .volumeRestored, .dataSwapped], [.volumeMissing, .volumeRestored, .dataSwapped]),
        // Content merges only within a run between presence changes.
        (
            [.dataSwapped, .volumeMissing, .volumeRestored, .dataSwapped],
            [.dataSwapped, .volumeMissing, .volumeRestored, .dataSwapped]
        ),
        ([.overflow, .volumeMissing, .filesChanged(["a"])], [.overflow, .volumeMissing, .filesChanged(["a"])]),
        ([.filesChanged(["a", "a"])], [.filesChanged(["a"])]),
    ]

    @Test(arguments: cases)
    func coalesces(_ added: [WatchTrigger], _ expected: [WatchTrigger]) {
        var batch = TriggerBatch()
        for trigger in added { batch.add(trigger) }
        #expect(batch.triggers == expected)
    }

    @Test func metricLabelsAreStable() {
        #expect(WatchTrigger.dataSwapped.metricLabel == "data_swapped")
        #expect(WatchTrigger.filesChanged(["x"]).metricLabel == "files_changed")
        #expect(WatchTrigger.overflow.metricLabel == "overflow")
        #expect(WatchTrigger.resync.metricLabel == "resync")
        #expect(WatchTrigger.volumeMissing.metricLabel == "volume_missing")
        #expect(WatchTrigger.volumeRestored.metricLabel == "volume_restored")
    }
}
