import Glibc
import Synchronization

/// Keeps a FIFO test bounded whatever the code under test does: after `grace`, a thread
/// opens the FIFO for writing (non-blocking, so it never waits itself) whenever a reader is
/// stuck in a blocking open(2), then closes it, so the reader sees end of file and returns.
/// A regression then fails the test (`fired` is true, the read "succeeds") instead of hanging
/// the whole suite.
final class FIFOUnblocker: Sendable {
    let path: String
    private let grace: Duration
    private let finished = Atomic<Bool>(false)
    private let unblocked = Atomic<Bool>(false)

    /// Creates the FIFO at `path` and starts watching it.
    init(path: String, grace: Duration = .seconds(2)) {
        self.path = path
        self.grace = grace
        precondition(mkfifo(path, 0o644) == 0, "cannot create the FIFO \(path)")
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let created = pthread_create(
            &thread, nil,
            { context in
                let unblocker = Unmanaged<FIFOUnblocker>.fromOpaque(context!).takeRetainedValue()
                unblocker.watch()
                return nil
            }, context)
        precondition(created == 0, "no thread for the FIFO unblocker")
        pthread_detach(thread)
    }

    /// Whether a reader had to be freed: the code under test blocked in open(2).
    var fired: Bool { unblocked.load(ordering: .acquiring) }

    /// Stops the watching thread (within 50 ms).
    func finish() { finished.store(true, ordering: .releasing) }

    private func watch() {
        let start = ContinuousClock.now
        while !finished.load(ordering: .acquiring) {
            usleep(50_000)
            guard ContinuousClock.now - start >= grace else { continue }
            // ENXIO while nobody has it open for reading: nothing to free.
            let fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
            if fd >= 0 {
                unblocked.store(true, ordering: .releasing)
                close(fd)
            }
        }
    }
}
