import NIOPosix
import PodmetaSystem
import Testing

@testable import PodmetaExecutor

@Suite struct GlobalExecutorTests {
    /// In a process of its own (the hook is process-wide): after install(), tasks and their
    /// continuations run on the NIO loop, and a second install() changes nothing.
    @Test func installedTasksRunOnTheEventLoop() async {
        await #expect(processExitsWith: .success) {
            #expect(!GlobalExecutor.isInstalled)
            #expect(GlobalExecutor.install())
            #expect(GlobalExecutor.isInstalled)
            #expect(!GlobalExecutor.install(), "a second install must refuse")
            let onLoop = await Task.detached { () -> [Bool] in
                var onLoop = [MultiThreadedEventLoopGroup.currentEventLoop != nil]
                // A continuation resumed from another thread comes back to the loop.
                await withCheckedContinuation { continuation in
                    _ = OSThread.start { _ in continuation.resume() }
                }
                onLoop.append(MultiThreadedEventLoopGroup.currentEventLoop != nil)
                await withTaskGroup(of: Bool.self) { group in
                    group.addTask { MultiThreadedEventLoopGroup.currentEventLoop != nil }
                    for await child in group { onLoop.append(child) }
                }
                return onLoop
            }.value
            #expect(onLoop == [true, true, true])
        }
    }

    /// Without install() (this test process) tasks run on libdispatch's pool, not on a loop:
    /// the check above can tell the two apart.
    @Test func withoutInstallTasksRunOffTheEventLoop() async {
        let onLoop = await Task.detached { MultiThreadedEventLoopGroup.currentEventLoop != nil }.value
        #expect(!onLoop)
        #expect(!GlobalExecutor.isInstalled)
    }
}
