internal import CInotifyTools
import Glibc

/// An eventfd the watcher thread polls next to the inotify descriptor: ``signal()`` makes
/// it readable for good, so a blocked poll(2) returns at once and `stop()` is prompt.
///
/// The descriptor is closed only in `deinit`, when neither the watcher, its thread nor the
/// stream's termination handler holds this object any more: a late `signal()` can never
/// write into a reused descriptor number.
final class ShutdownSignal: Sendable {
    let descriptor: Int32

    init() throws(WatcherError) {
        let fd = eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
        if fd < 0 {
            throw .setupFailed(path: "eventfd", operation: "eventfd(2)", errno: .current)
        }
        descriptor = fd
    }

    /// Idempotent and async-signal-safe (one write(2)).
    func signal() {
        var one: UInt64 = 1
        // EAGAIN (counter saturated) still leaves the descriptor readable: nothing to do.
        _ = withUnsafeBytes(of: &one) { write(descriptor, $0.baseAddress, $0.count) }
    }

    deinit {
        close(descriptor)
    }
}
