import Glibc
import PodmetaTestSupport
import Testing

@testable import PodmetaProcess

/// The zombies among this process's children, from /proc (`pid (comm) S ppid ...`).
func zombieChildren(of parent: pid_t = getpid()) -> [pid_t] {
    guard let directory = opendir("/proc") else { return [] }
    defer { closedir(directory) }
    var zombies: [pid_t] = []
    while let entry = readdir(directory) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        guard let pid = pid_t(name) else { continue }
        let fd = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { continue }
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = read(fd, &buffer, buffer.count)
        close(fd)
        guard count > 0 else { continue }
        let text = String(decoding: buffer[0..<count], as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { continue }
        let fields = text[text.index(after: close)...].split(separator: " ")
        if fields.count > 1, fields[0] == "Z", pid_t(fields[1]) == parent { zombies.append(pid) }
    }
    return zombies
}

@Suite struct ChildReaperTests {
    /// The reaper is process-wide and permanent, and subreaping changes who our children
    /// are: each scenario runs in a child process of its own.
    @Test func asASubreaperOrphansAreReapedAndOurChildrenKeepTheirStatus() async {
        await #expect(processExitsWith: .success) {
            #expect(ChildSubreaper.set(true))
            #expect(ChildReaper.shared.startIfNeeded())
            let spawner = ProcessSpawner()
            do {
                // A hook that leaves a background process behind and exits 7 at once: the
                // orphan becomes our child, and its exit must not take the hook's status.
                let hook = try spawner.spawn(
                    ProcessSpec(command: .shell("sleep 0.3 & exit 7"), environment: basicEnvironment))
                #expect(await hook.wait() == .exited(7))
                // Children that exit before their ChildProcess is attached keep their status.
                for code in Int32(0)..<20 {
                    let child = try spawner.spawn(
                        ProcessSpec(command: .shell("exit \(code)"), environment: basicEnvironment))
                    #expect(await child.wait() == .exited(code))
                }
                let echo = try spawner.spawn(
                    ProcessSpec(
                        command: .argv(["echo", "hi"]), environment: basicEnvironment, standardOutput: .capture))
                #expect(await echo.wait() == .exited(0))
                #expect(await echo.output().standardOutput == Array("hi\n".utf8))
                let killed = try spawner.spawn(
                    ProcessSpec(command: .argv(["sleep", "30"]), environment: basicEnvironment))
                #expect(killed.signal(.kill))
                #expect(await killed.wait() == .signaled(.kill))
            } catch {
                Issue.record("spawn failed: \(error)")
            }
            #expect(
                await eventually(within: .seconds(20)) {
                    ChildReaper.shared.orphansReaped >= 1 && zombieChildren().isEmpty
                },
                "orphans reaped: \(ChildReaper.shared.orphansReaped), zombies: \(zombieChildren())")
        }
    }

    @Test func withoutPID1OrASubreaperItStaysOff() async {
        await #expect(processExitsWith: .success) {
            #expect(ChildSubreaper.set(false))
            #expect(!ChildReaper.shared.startIfNeeded())
            #expect(!ChildReaper.shared.isActive)
        }
    }
}
