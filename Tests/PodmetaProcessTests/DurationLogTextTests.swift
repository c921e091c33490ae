import Testing

@testable import PodmetaProcess

extension PodmetaProcessTests {
    @Suite struct DurationLogTextTests {
        @Test(arguments: [
            (Duration.zero, "0ms"), (.milliseconds(250), "250ms"), (.seconds(1), "1s"),
            (.milliseconds(1500), "1.5s"), (.milliseconds(1503), "1.503s"), (.seconds(30), "30s"),
        ])
        func renders(duration: Duration, text: String) {
            #expect(DurationLogText.render(duration) == text)
        }
    }
}
