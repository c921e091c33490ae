import Glibc
import PodmetaSystem

/// PR_SET_CHILD_SUBREAPER (Linux 3.4): orphaned descendants are re-parented to us instead
/// of PID 1, so we can reap them (and they do not pile up as zombies when PID 1 is us or
/// something that does not reap).
enum ChildSubreaper {
    /// Whether this process is a subreaper; nil when it cannot be asked.
    static var isEnabled: Bool? {
        var value: Int32 = 0
        let result = withUnsafeMutablePointer(to: &value) { pointer in
            LinuxSystemCalls.prctl(LinuxSystemCalls.getChildSubreaper, UInt(bitPattern: pointer))
        }
        return result == 0 ? value != 0 : nil
    }

    /// Turns the attribute on or off; false with errno set on failure.
    @discardableResult
    static func set(_ enabled: Bool) -> Bool {
        LinuxSystemCalls.prctl(LinuxSystemCalls.setChildSubreaper, enabled ? 1 : 0) == 0
    }
}
