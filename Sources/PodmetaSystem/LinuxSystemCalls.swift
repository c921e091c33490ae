import Glibc

/// Linux entry points that the Glibc module does not import, called through `dlsym`.
///
/// `pipe2` is declared only under `_GNU_SOURCE`, which the Swift Glibc module does not set;
/// it is called through a function pointer of its exact prototype. `prctl` is variadic and
/// Swift imports no variadic C function. Calling it through a fixed-arity pointer is sound on
/// the Linux ABIs Swift supports: on x86-64 integer arguments travel in the same registers
/// for variadic and fixed calls (the only difference, `%al` counting vector registers, is
/// merely tested by glibc's prologue to decide whether to spill xmm registers), and on
/// AArch64 Linux variadic arguments follow the ordinary procedure-call rules. A C shim
/// target would avoid the lookup, but this package keeps its system layer to one Swift target.
package enum LinuxSystemCalls {
    private typealias PrctlFunction = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
    private typealias Pipe2Function = @convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> Int32

    /// Addresses as integers: C function pointers are not `Sendable`, integers are.
    /// `dlsym(nil, ...)` is `dlsym(RTLD_DEFAULT, ...)` on glibc.
    private static let prctlAddress = Int(bitPattern: dlsym(nil, "prctl"))
    private static let pipe2Address = Int(bitPattern: dlsym(nil, "pipe2"))

    package static let setChildSubreaper: Int32 = 36  // PR_SET_CHILD_SUBREAPER, Linux 3.4
    package static let getChildSubreaper: Int32 = 37  // PR_GET_CHILD_SUBREAPER

    /// `prctl(2)`; -1 with `errno` ENOSYS when the symbol is missing.
    package static func prctl(_ option: Int32, _ argument: UInt = 0) -> Int32 {
        guard prctlAddress != 0 else {
            errno = ENOSYS
            return -1
        }
        let function = unsafeBitCast(prctlAddress, to: PrctlFunction.self)
        return function(option, argument, 0, 0, 0)
    }

    /// A pipe whose both ends are close-on-exec from birth, so a child spawned concurrently
    /// by another thread never inherits them (an inherited write end would keep our child's
    /// stdin open forever). Falls back to pipe + fcntl when pipe2 is missing.
    package static func closeOnExecPipe() -> (read: Int32, write: Int32)? {
        var fds: [Int32] = [-1, -1]
        if pipe2Address != 0 {
            let function = unsafeBitCast(pipe2Address, to: Pipe2Function.self)
            guard fds.withUnsafeMutableBufferPointer({ function($0.baseAddress, O_CLOEXEC) }) == 0 else { return nil }
        } else {
            guard pipe(&fds) == 0 else { return nil }
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        }
        return (fds[0], fds[1])
    }

    /// Makes one end non-blocking (the other end, the child's, stays blocking).
    package static func setNonBlocking(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
    }

    /// Closes `fd`, ignoring EINTR (on Linux the descriptor is released even then).
    package static func close(_ fd: Int32) {
        if fd >= 0 { _ = Glibc.close(fd) }
    }

    /// Writes `text` to stderr in full, without stdio (whose globals are not concurrency-safe).
    package static func writeToStandardError(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(2, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }
}
