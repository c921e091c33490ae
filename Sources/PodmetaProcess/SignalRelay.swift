import Glibc
import PodmetaSystem
import Synchronization

/// Write end of the relay pipe, read by the signal handler. Set once and never changed, so a
/// handler running on any thread at any time writes to the right descriptor.
private let relayWriteDescriptor = Atomic<Int32>(-1)

/// The signal handler: records the signal number and two facts about its origin as a
/// 2-byte message on the relay pipe (the self-pipe trick). It only calls write(2) and
/// getpid(2), which are async-signal-safe, and touches no Swift object: the global atomic is
/// initialized before any handler is installed, so its accessor is a plain load.
private func relaySignalHandler(_ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _: UnsafeMutableRawPointer?)
{
    let savedErrno = errno
    var flags: UInt8 = 0
    if let info {
        if info.pointee.si_code == SI_KERNEL { flags |= SignalRelay.Message.kernelFlag }
        if info.pointee.si_code == SI_USER, info.pointee._sifields._kill.si_pid == getpid() {
            flags |= SignalRelay.Message.selfFlag
        }
    }
    var message: (UInt8, UInt8) = (UInt8(truncatingIfNeeded: signal), flags)
    let fd = relayWriteDescriptor.load(ordering: .relaxed)
    if fd >= 0 {
        _ = withUnsafeBytes(of: &message) { write(fd, $0.baseAddress, 2) }
    }
    errno = savedErrno
}

/// Turns asynchronous signals into messages read by the supervisor's thread.
///
/// Why handlers and a self-pipe rather than sigwait, signalfd or Dispatch sources: sigwait
/// and signalfd only see signals blocked in every thread, and an async Swift program has
/// already started threads (the cooperative pool, Dispatch) with the default mask before
/// our code runs; a SIGTERM delivered to one of them would kill the process. A handler
/// installed with sigaction catches the signal on whichever thread it lands. Dispatch signal
/// sources do the same internally on Linux but hide the siginfo we need (who sent it), and
/// they would deliver on a Dispatch queue while the supervisor's loop lives on its own
/// thread. The pipe also carries our own wake-ups (message 0), so one poll(2) waits for
/// signals, commands and timers. Tests drive it with real signals (kill(getpid(), ...)).
final class SignalRelay: Sendable {
    struct Message: Equatable {
        static let kernelFlag: UInt8 = 1
        static let selfFlag: UInt8 = 2

        /// 0 for a wake-up from `wake()`.
        var signal: Int32
        /// Sent by the kernel (a terminal's ^C, ^\, hang-up), not by kill(2).
        var fromKernel: Bool
        /// Sent by this very process, like the SIGPIPE of our own write to a broken pipe.
        var fromSelf: Bool
    }

    /// One pipe for the life of the process: closing it could let an in-flight handler
    /// write into whatever file reused the descriptor.
    static let shared: SignalRelay? = SignalRelay()

    private let readEnd: Int32
    private let writeEnd: Int32

    private init?() {
        guard let pipe = LinuxSystemCalls.closeOnExecPipe() else { return nil }
        LinuxSystemCalls.setNonBlocking(pipe.read)
        LinuxSystemCalls.setNonBlocking(pipe.write)
        readEnd = pipe.read
        writeEnd = pipe.write
        relayWriteDescriptor.store(pipe.write, ordering: .sequentiallyConsistent)
    }

    /// The signals a supervisor handles: every catchable one except the synchronous fault
    /// signals (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGABRT, SIGSYS are about our own
    /// crash; catching them would turn a crash into a loop) and SIGTTIN/SIGTTOU (job control
    /// of our own terminal access), as tini does; plus the real-time signals. SIGCHLD is
    /// included: it wakes the reaper and is never forwarded.
    static var handledSignals: [Int32] {
        let excluded: Set<Int32> = [
            SIGKILL, SIGSTOP, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGABRT, SIGSYS, SIGTTIN, SIGTTOU,
        ]
        let standard = (1..<32).filter { !excluded.contains($0) }
        return standard + Array(__libc_current_sigrtmin()...__libc_current_sigrtmax())
    }

    /// Installs the relay handler for `signals`; returns the previous actions for `restore`.
    func install(_ signals: [Int32]) -> [(Int32, sigaction)] {
        var previous: [(Int32, sigaction)] = []
        for signal in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_sigaction = relaySignalHandler
            action.sa_flags = SA_SIGINFO | SA_RESTART | (signal == SIGCHLD ? SA_NOCLDSTOP : 0)
            sigfillset(&action.sa_mask)
            var old = sigaction()
            if sigaction(signal, &action, &old) == 0 { previous.append((signal, old)) }
        }
        return previous
    }

    /// Puts back the actions `install` replaced.
    func restore(_ previous: [(Int32, sigaction)]) {
        for (signal, old) in previous {
            var action = old
            sigaction(signal, &action, nil)
        }
    }

    /// Wakes the reader (message 0). Safe from any thread or task.
    func wake() {
        var message: (UInt8, UInt8) = (0, 0)
        _ = withUnsafeBytes(of: &message) { write(writeEnd, $0.baseAddress, 2) }
    }

    /// Throws away stale messages (from a previous supervisor in this process).
    func drain() {
        _ = read(timeoutMilliseconds: 0)
    }

    /// Waits up to `timeoutMilliseconds` (-1: forever) for messages and returns all there are.
    func read(timeoutMilliseconds: Int32) -> [Message] {
        var descriptor = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, timeoutMilliseconds)
        guard ready > 0 else { return [] }
        var messages: [Message] = []
        var buffer = [UInt8](repeating: 0, count: 512)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(readEnd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            // Writes are 2 bytes (atomic, below PIPE_BUF) and reads even-sized: never split.
            for index in stride(from: 0, to: count - 1, by: 2) {
                messages.append(
                    Message(
                        signal: Int32(buffer[index]),
                        fromKernel: buffer[index + 1] & Message.kernelFlag != 0,
                        fromSelf: buffer[index + 1] & Message.selfFlag != 0))
            }
        }
        return messages
    }
}
