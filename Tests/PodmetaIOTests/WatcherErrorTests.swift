import Glibc
import PodmetaSystem
import Testing

@testable import PodmetaIO

struct WatcherErrorTests {
    static let classified: [(errno: Int32, expected: WatcherError)] = [
        (ENOSPC, .limitReached(path: "/v", errno: ErrnoValue(ENOSPC))),
        (EMFILE, .limitReached(path: "/v", errno: ErrnoValue(EMFILE))),
        (ENFILE, .limitReached(path: "/v", errno: ErrnoValue(ENFILE))),
        (ENOSYS, .unsupported(path: "/v", errno: ErrnoValue(ENOSYS))),
        (EOPNOTSUPP, .unsupported(path: "/v", errno: ErrnoValue(EOPNOTSUPP))),
        (ENOTDIR, .notADirectory(path: "/v")),
        (EACCES, .setupFailed(path: "/v", operation: "inotify_add_watch", errno: ErrnoValue(EACCES))),
    ]

    @Test(arguments: classified)
    func classifiesInotifyErrors(_ code: Int32, _ expected: WatcherError) {
        let error = WatcherError.fromInotify(path: "/v", operation: "inotify_add_watch", errno: code)
        #expect(error == expected)
        #expect(error.allowsPollingFallback == (code != ENOTDIR))
    }

    @Test func descriptionsAreOneSentenceWithPathAndErrno() {
        let error = WatcherError.limitReached(path: "/etc/podinfo", errno: ErrnoValue(ENOSPC))
        #expect(
            error.description
                == "cannot watch /etc/podinfo: inotify limits exhausted: No space left on device (ENOSPC); raise fs.inotify.max_user_watches/max_user_instances or use polling"
        )
        #expect(ErrnoValue(EROFS).description == "Read-only file system (EROFS)")
        #expect(ErrnoValue(12345).symbol == "errno 12345")
    }
}
