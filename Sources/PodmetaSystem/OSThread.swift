import Glibc

/// Detached POSIX threads for blocking work (waitid, poll) that must never occupy a thread
/// of Swift's cooperative pool.
package enum OSThread {
    private final class Body {
        let run: @Sendable (SIGPIPEShield) -> Void
        let shielded: Bool
        init(_ run: @escaping @Sendable (SIGPIPEShield) -> Void, shielded: Bool) {
            self.run = run
            self.shielded = shielded
        }
    }

    /// Starts `body` on a new detached thread, with SIGPIPE blocked on it when `shieldingSIGPIPE`
    /// (see `SIGPIPEShield`). Returns false (errno set) when the system refuses a thread.
    package static func start(shieldingSIGPIPE: Bool = false, _ body: @escaping @Sendable (SIGPIPEShield) -> Void)
        -> Bool
    {
        let context = Unmanaged.passRetained(Body(body, shielded: shieldingSIGPIPE)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let result = pthread_create(
            &thread, &attributes,
            { raw in
                let body = Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue()
                body.run(body.shielded ? SIGPIPEShield.raise() : SIGPIPEShield(active: false, wasBlocked: true))
                return nil
            }, context)
        if result != 0 {
            Unmanaged<Body>.fromOpaque(context).release()
            errno = result
            return false
        }
        return true
    }
}

/// SIGPIPE blocked on the current thread while it writes to pipes whose reader may be gone.
///
/// The write then fails with EPIPE and the signal stays pending on this thread instead of
/// killing the process (the agent must not depend on someone having ignored SIGPIPE).
/// `lower()` discards such a pending SIGPIPE and unblocks it again; call it before resuming
/// continuations, because a thread Dispatch creates from this one inherits its mask.
/// Other signals are never blocked: process-directed signals may land on our threads and
/// then run the process's handlers there, which our blocking calls survive (EINTR is retried).
package struct SIGPIPEShield: Sendable {
    fileprivate let active: Bool
    fileprivate let wasBlocked: Bool

    package static func raise() -> SIGPIPEShield {
        var pipe = sigset_t()
        sigemptyset(&pipe)
        sigaddset(&pipe, SIGPIPE)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipe, &previous)
        return SIGPIPEShield(active: true, wasBlocked: sigismember(&previous, SIGPIPE) == 1)
    }

    package func lower() {
        guard active, !wasBlocked else { return }
        var pipe = sigset_t()
        sigemptyset(&pipe)
        sigaddset(&pipe, SIGPIPE)
        var immediately = timespec(tv_sec: 0, tv_nsec: 0)
        while sigtimedwait(&pipe, nil, &immediately) == SIGPIPE {}
        pthread_sigmask(SIG_UNBLOCK, &pipe, nil)
    }
}
