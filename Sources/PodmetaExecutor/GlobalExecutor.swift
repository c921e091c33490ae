import CConcurrencyHooks
import NIOCore
import NIOPosix
import Synchronization

/// Runs Swift concurrency's global executor on one SwiftNIO event loop, for processes that
/// must not wake up while idle.
///
/// On Linux the default global executor is libdispatch's thread pool, and the first worker
/// of that pool arms a one-second monitor timer (`_dispatch_workq_monitor_pools`) that
/// never stops: an idle agent woke every second. A NIO event loop idles in `epoll_wait`
/// without a timeout, and its timer is armed only for tasks someone scheduled.
/// ``install()`` sends every job enqueued on the global executor to
/// `MultiThreadedEventLoopGroup.singleton` (one loop).
///
/// NIO's own `unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()`
/// finds the runtime's hook with dlsym, which returns false in a binary linked with
/// `--static-swift-stdlib` (the release build does not export the runtime's symbols); the
/// hook is reached at link time here instead (`CConcurrencyHooks`).
///
/// What still reaches libdispatch: the signal sources of ServiceLifecycle's
/// `UnixSignalsSequence` (a serial queue, whose threads are not monitored), and
/// `Task.sleep`, which Swift 6.3 schedules through the default executor rather than the
/// global-enqueue hooks: a sleep (a hook's timeout, the polling watcher) starts a pool
/// worker and with it the monitor.
///
/// The loop is a single thread: work on the global executor must not block for long. The
/// agent's blocking calls (waiting for children, inotify, the child reaper) have threads of
/// their own, and the socket server runs on an event loop of its own.
package enum GlobalExecutor {
    private typealias Enqueue = @convention(thin) (UnownedJob, @convention(thin) (UnownedJob) -> Void) -> Void

    private static let enqueue: Enqueue = { job, _ in
        MultiThreadedEventLoopGroup.singleton.any().enqueue(ExecutorJob(job))
    }

    private static let attempted = Atomic(false)

    /// Makes the NIO singleton event loop the global executor. Call it before anything is
    /// enqueued on the global executor (in `main`, before the command's task starts): jobs
    /// enqueued earlier would still run on libdispatch. It sets NIO's singleton loop count
    /// to 1, which must happen before anything uses NIO's singletons.
    ///
    /// - Returns: false when it was called before or the runtime's hook was already taken;
    ///   the global executor is then left as it was.
    @discardableResult
    package static func install() -> Bool {
        guard !attempted.exchange(true, ordering: .relaxed) else { return false }
        NIOSingletons.groupLoopCountSuggestion = 1
        return podmeta_install_enqueue_global_hook(unsafeBitCast(enqueue, to: UnsafeRawPointer.self))
    }

    /// Whether ``install()`` took over the global executor in this process.
    package static var isInstalled: Bool {
        podmeta_enqueue_global_hook() == unsafeBitCast(enqueue, to: UnsafeRawPointer.self)
    }
}
