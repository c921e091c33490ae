import Glibc
import Testing

@testable import PodmetaProcess

extension PodmetaProcessTests {
    @Suite struct ProcessSignalTests {
        @Test(
            arguments: [
                ("HUP", SIGHUP), ("SIGHUP", SIGHUP), ("sighup", SIGHUP), ("1", SIGHUP),
                ("USR1", SIGUSR1), ("SIGTERM", SIGTERM), ("WINCH", SIGWINCH),
                ("RTMIN", __libc_current_sigrtmin()), ("SIGRTMIN+2", __libc_current_sigrtmin() + 2),
                ("RTMAX-1", __libc_current_sigrtmax() - 1),
            ] as [(String, Int32)])
        func parses(text: String, expected: Int32) {
            #expect(ProcessSignal(parsing: text)?.rawValue == expected)
        }

        @Test(arguments: ["", "HUPP", "0", "65", "-1", "SIG", "RTMIN-1", "RTMAX+1", "RTMIN+x"])
        func refuses(text: String) {
            #expect(ProcessSignal(parsing: text) == nil)
        }

        @Test func namesAndCatchability() {
            #expect(ProcessSignal.hangup.name == "SIGHUP")
            #expect(ProcessSignal(rawValue: __libc_current_sigrtmin() + 3).name == "SIGRTMIN+3")
            #expect(!ProcessSignal.kill.canBeCaught)
            #expect(ProcessSignal.user2.canBeCaught)
            #expect(ExitStatus.signaled(.kill).description == "killed by SIGKILL (status 137)")
            #expect(ExitStatus.exited(3).description == "exit status 3")
        }
    }
}
