import Glibc
import PodmetaSystem
import Testing

@Suite struct ProgramPagingTests {
    static let lines: [(line: String, mapping: ProgramPaging.FileMapping?)] = [
        (
            "55d0c8a00000-55d0c8bc4000 r--p 00000000 fe:01 1835123                    /usr/local/bin/podmeta",
            .init(start: 0x55d0_c8a0_0000, length: 0x1c_4000, path: "/usr/local/bin/podmeta")
        ),
        (
            "7f3a1c200000-7f3a1c228000 r-xp 00028000 fe:01 2099 /usr/lib/x86_64-linux-gnu/libc.so.6",
            .init(start: 0x7f3a_1c20_0000, length: 0x2_8000, path: "/usr/lib/x86_64-linux-gnu/libc.so.6")
        ),
        // A path with spaces, and a file deleted since it was mapped: still a file mapping.
        (
            "7f00000000-7f00001000 r--p 00000000 fe:01 77 /tmp/a b (deleted)",
            .init(start: 0x7f_0000_0000, length: 0x1000, path: "/tmp/a b (deleted)")
        ),
        ("55d0ca000000-55d0ca021000 rw-p 00000000 00:00 0                          [heap]", nil),
        ("7ffd5e1f0000-7ffd5e211000 rw-p 00000000 00:00 0                          [stack]", nil),
        ("7ffd5e3fe000-7ffd5e400000 r-xp 00000000 00:00 0                          [vdso]", nil),
        ("7f3a1c000000-7f3a1c021000 rw-p 00000000 00:00 0 ", nil),
        ("7f3a1c000000-7f3a1c021000 rw-p 00000000 00:00 0", nil),
        // A pseudo-file named without a leading slash, and malformed ranges.
        ("7f3a1c000000-7f3a1c021000 rw-s 00000000 00:05 9 anon_inode:[io_uring]", nil),
        ("7f3a1c021000-7f3a1c000000 r--p 00000000 fe:01 5 /backwards", nil),
        ("zz-7f3a1c021000 r--p 00000000 fe:01 5 /not-hex", nil),
        ("", nil),
    ]

    @Test(arguments: lines)
    func aMapsLineIsAFileMappingOrNot(line: String, mapping: ProgramPaging.FileMapping?) {
        #expect(ProgramPaging.fileMappings(line) == (mapping.map { [$0] } ?? []))
    }

    @Test func aWholeTableKeepsItsFileMappingsInOrder() {
        let table = Self.lines.map(\.line).joined(separator: "\n")
        #expect(ProgramPaging.fileMappings(table) == Self.lines.compactMap(\.mapping))
    }

    /// In a process of its own (the advice stays with the process): every file mapping of
    /// the test process carries the kernel's random-read flag (`rr` in /proc/self/smaps)
    /// afterwards, and none did before.
    @Test func theProgramsMappingsTakeTheAdvice() async {
        await #expect(processExitsWith: .success) {
            /// Whether each file mapping in /proc/self/smaps has the random-read flag.
            func randomReadFlags() -> [Bool] {
                let smaps = (try? Posix.readFile("/proc/self/smaps")).map { String(decoding: $0, as: UTF8.self) }
                var flags: [Bool] = []
                var inFileMapping = false
                for line in (smaps ?? "").split(separator: "\n") {
                    if line.hasPrefix("VmFlags:") {
                        if inFileMapping { flags.append(line.split(separator: " ").contains("rr")) }
                    } else if let range = line.split(separator: " ").first, range.contains("-"),
                        range.allSatisfy({ $0.isHexDigit || $0 == "-" })
                    {
                        inFileMapping = !ProgramPaging.fileMappings(String(line)).isEmpty
                    }
                }
                return flags
            }
            let before = randomReadFlags()
            #expect(!before.isEmpty && !before.contains(true))
            #expect(ProgramPaging.adviseRandomAccess() > 0)
            let after = randomReadFlags()
            #expect(!after.isEmpty && !after.contains(false))
        }
    }
}
