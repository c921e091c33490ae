// PodmetaBenchAgent: the driver of bench/run.sh's agent benchmarks. It plays the
// kubelet on a downwardAPI-style volume and watches what a consumer (podmeta's agent, or
// the inotifywait+jq shell loop) makes of it. Timings live here, never in tests.
//
//   PodmetaBenchAgent init --volume V
//       write the first generation (labels with seq=0, annotations, pod fields, resources)
//   PodmetaBenchAgent swaps --volume V --output F --count N [--gap-ms G] [--timeout-ms T]
//                           [--max-timeouts M]
//       N kubelet swaps, swap i setting label seq=i; per swap the time from the rename of
//       ..data_tmp over ..data to the moment F holds "seq": "i"; stops early after M swaps
//       that were not seen within T (bench/memory-limit.sh: a consumer that misses one is
//       failing, waiting out the rest would only slow the search)
//   PodmetaBenchAgent first-publish --output F [--repeat R] -- COMMAND ARG...
//       the time from spawning COMMAND to F appearing with content, R times (SIGTERM after)
//
// How "F holds it" is seen: an inotify watch on F's directory (IN_MOVED_TO, IN_CLOSE_WRITE)
// set up before the first swap; on each event naming F the driver reads F and looks for the
// label. Both consumers publish by writing a temporary file and renaming it over F, so the
// event is the same for both.
//
// A swap is the kubelet's AtomicWriter sequence done inline (not through
// KubeletVolumeWriter.write) so the clock starts at the rename itself: mkdir the timestamp
// directory (0700, chmod 0755), write every item and chmod it, symlink ..data_tmp to it,
// rename ..data_tmp over ..data. The previous timestamp directory is removed after the
// consumer has published (the kubelet removes it right after the rename; doing it later
// keeps the driver's own unlinks out of the measured interval, on both consumers alike).

import Glibc
import PodmetaBenchSupport
import PodmetaCore
import PodmetaIO

func errnoText() -> String { String(cString: strerror(errno)) }

func microseconds(_ nanoseconds: UInt64) -> String {
    String(Double(nanoseconds / 100) / 10)
}

func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
}

func base(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    return String(path[path.index(after: slash)...])
}

/// What the kubelet would project for a typical web pod, with `seq` as the label that
/// changes.
func payload(sequence: Int) -> [String: [UInt8]] {
    let labels = [
        "app": "web", "app.kubernetes.io/name": "shop", "app.kubernetes.io/version": "1.4.2",
        "pod-template-hash": "7d4b9c", "tier": "frontend", "seq": String(sequence),
    ]
    let annotations = [
        "kubernetes.io/config.seen": "2026-11-22T01:02:03.456789012Z",
        "kubernetes.io/config.source": "api",
        "prometheus.io/scrape": "true",
        "prometheus.io/port": "9090",
        "kubectl.kubernetes.io/last-applied-configuration": String(
            repeating: "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\"}", count: 24),
    ]
    return [
        "labels": KubeletMapFormat.format(labels),
        "annotations": KubeletMapFormat.format(annotations),
        "name": Array("web-7d4b9c-x2v9q".utf8),
        "namespace": Array("shop".utf8),
        "uid": Array("0e2f4a10-5b7c-4d1e-9a3b-2c8d6e4f1a20".utf8),
        "cpu_limit": Array("500".utf8),
        "cpu_request": Array("250".utf8),
        "mem_limit": Array("128".utf8),
        "mem_request": Array("64".utf8),
    ]
}

/// `..2006_01_02_15_04_05.<random>`, as the kubelet's os.MkdirTemp names it.
func timestampDirectoryName() -> String {
    var now = time(nil)
    var parts = tm()
    gmtime_r(&now, &parts)
    func pad(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return "..\(parts.tm_year + 1900)_\(pad(parts.tm_mon + 1))_\(pad(parts.tm_mday))_"
        + "\(pad(parts.tm_hour))_\(pad(parts.tm_min))_\(pad(parts.tm_sec)).\(UInt32.random(in: .min ... .max))"
}

func readWholeFile(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 16384)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        if n < 0 { return nil }
        if n == 0 { return bytes }
        bytes.append(contentsOf: chunk[0..<n])
    }
}

func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard needle.count <= haystack.count, let first = needle.first else { return needle.isEmpty }
    var index = 0
    while index + needle.count <= haystack.count {
        if haystack[index] == first && haystack[index..<(index + needle.count)].elementsEqual(needle) { return true }
        index += 1
    }
    return false
}

func writeFile(_ path: String, _ bytes: [UInt8], mode: mode_t) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
    guard fd >= 0 else { fail("create \(path): \(errnoText())") }
    var offset = 0
    while offset < bytes.count {
        let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
        if n <= 0 { fail("write \(path): \(errnoText())") }
        offset += n
    }
    close(fd)
    if chmod(path, mode) != 0 { fail("chmod \(path): \(errnoText())") }
}

func removeGeneration(_ path: String) {
    guard let dir = opendir(path) else { return }
    var names: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        if name != "." && name != ".." { names.append(name) }
    }
    closedir(dir)
    for name in names { unlink(path + "/" + name) }
    rmdir(path)
}

/// Watches one file's directory for the file being replaced or rewritten.
struct FileAppearance {
    let fd: Int32
    let name: String
    var buffer = [UInt8](repeating: 0, count: 65536)

    init(path: String) {
        fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard fd >= 0 else { fail("inotify_init1: \(errnoText())") }
        name = base(of: path)
        if inotify_add_watch(fd, directory(of: path), UInt32(IN_MOVED_TO | IN_CLOSE_WRITE)) < 0 {
            fail("inotify_add_watch \(directory(of: path)): \(errnoText())")
        }
    }

    /// Waits until an event names the file or `deadline` passes; false on timeout.
    mutating func waitForEvent(deadline: UInt64) -> Bool {
        while true {
            let now = monotonicNanoseconds()
            if now >= deadline { return false }
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(1000, (deadline - now) / 1_000_000 + 1)))
            if ready < 0 && errno != EINTR { fail("poll: \(errnoText())") }
            if ready <= 0 { continue }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n <= 0 { continue }
            var offset = 0
            var named = false
            while offset < n {
                let (length, eventName) = buffer.withUnsafeBytes { raw -> (Int, String) in
                    let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    let nameStart = offset + MemoryLayout<inotify_event>.size
                    let nameBytes = raw[nameStart..<(nameStart + Int(event.len))].prefix(while: { $0 != 0 })
                    return (
                        MemoryLayout<inotify_event>.size + Int(event.len), String(decoding: nameBytes, as: UTF8.self)
                    )
                }
                if eventName == name { named = true }
                offset += length
            }
            if named { return true }
        }
    }
}

func initVolume(_ arguments: [String]) {
    guard let volume = option("--volume", arguments) else { fail("init needs --volume") }
    mkdir(volume, 0o755)
    do {
        try KubeletVolumeWriter(root: volume).write(payload(sequence: 0))
    } catch {
        fail("\(error)")
    }
}

func swaps(_ arguments: [String]) {
    guard let volume = option("--volume", arguments), let output = option("--output", arguments) else {
        fail("swaps needs --volume and --output")
    }
    let count = Int(option("--count", arguments) ?? "200") ?? 200
    let gap = UInt32(option("--gap-ms", arguments) ?? "5") ?? 5
    let timeout = UInt64(option("--timeout-ms", arguments) ?? "5000") ?? 5000
    let first = Int(option("--first", arguments) ?? "1") ?? 1
    let maxTimeouts = Int(option("--max-timeouts", arguments) ?? "") ?? Int.max
    var appearance = FileAppearance(path: output)
    let dataLink = volume + "/..data"
    let temporaryLink = volume + "/..data_tmp"
    var latencies: [UInt64] = []
    var timeouts = 0
    let started = monotonicNanoseconds()
    for sequence in first..<(first + count) {
        var old = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let oldLength = readlink(dataLink, &old, old.count - 1)
        guard oldLength > 0 else { fail("readlink \(dataLink): \(errnoText())") }
        let oldGeneration = String(decoding: old[0..<oldLength].map { UInt8(bitPattern: $0) }, as: UTF8.self)

        let generation = timestampDirectoryName()
        let generationPath = volume + "/" + generation
        if mkdir(generationPath, 0o700) != 0 { fail("mkdir \(generationPath): \(errnoText())") }
        chmod(generationPath, 0o755)
        for (name, bytes) in payload(sequence: sequence).sorted(by: { $0.key < $1.key }) {
            writeFile(generationPath + "/" + name, bytes, mode: 0o644)
        }
        if symlink(generation, temporaryLink) != 0 { fail("symlink \(temporaryLink): \(errnoText())") }
        let needle = Array("\"seq\": \"\(sequence)\"".utf8)

        let start = monotonicNanoseconds()
        if rename(temporaryLink, dataLink) != 0 { fail("rename \(temporaryLink): \(errnoText())") }
        let deadline = start + timeout * 1_000_000
        var seen = false
        while !seen {
            guard appearance.waitForEvent(deadline: deadline) else { break }
            if let content = readWholeFile(output), contains(content, needle) { seen = true }
        }
        let took = monotonicNanoseconds() - start
        if seen { latencies.append(took) } else { timeouts += 1 }

        removeGeneration(volume + "/" + oldGeneration)
        if timeouts >= maxTimeouts { break }
        if gap > 0 { usleep(gap * 1000) }
    }
    let elapsed = monotonicNanoseconds() - started
    latencies.sort()
    let mean = latencies.isEmpty ? 0 : latencies.reduce(0, +) / UInt64(latencies.count)
    print(
        "{\"swaps\": \(count), \"seen\": \(latencies.count), \"timeouts\": \(timeouts), "
            + "\"p50_us\": \(microseconds(percentile(latencies, 0.5) ?? 0)), \"p90_us\": \(microseconds(percentile(latencies, 0.9) ?? 0)), "
            + "\"p99_us\": \(microseconds(percentile(latencies, 0.99) ?? 0)), \"max_us\": \(microseconds(latencies.last ?? 0)), "
            + "\"min_us\": \(microseconds(latencies.first ?? 0)), \"mean_us\": \(microseconds(mean)), "
            + "\"elapsed_ms\": \(elapsed / 1_000_000)}")
}

func firstPublish(_ arguments: [String]) {
    guard let output = option("--output", arguments), let separator = arguments.firstIndex(of: "--"),
        separator + 1 < arguments.count
    else { fail("first-publish needs --output F -- COMMAND ...") }
    let repeatCount = Int(option("--repeat", arguments) ?? "10") ?? 10
    let command = Array(arguments[(separator + 1)...])
    var samples: [UInt64] = []
    for _ in 0..<repeatCount {
        unlink(output)
        var appearance = FileAppearance(path: output)
        defer { close(appearance.fd) }
        var argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let start = monotonicNanoseconds()
        let spawned = posix_spawn(&pid, command[0], nil, nil, &argv, environ)
        if spawned != 0 { fail("posix_spawn \(command[0]): \(String(cString: strerror(spawned)))") }
        var seen = false
        let deadline = start + 10_000_000_000
        while !seen {
            guard appearance.waitForEvent(deadline: deadline) else { break }
            if let content = readWholeFile(output), !content.isEmpty { seen = true }
        }
        let took = monotonicNanoseconds() - start
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        guard seen else { fail("\(command[0]) did not publish \(output) within 10 s") }
        samples.append(took)
    }
    samples.sort()
    print(
        "{\"repeat\": \(repeatCount), \"median_ms\": \(Double(percentile(samples, 0.5)! / 10_000) / 100), "
            + "\"min_ms\": \(Double(samples[0] / 10_000) / 100), \"max_ms\": \(Double(samples.last! / 10_000) / 100)}")
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "init": initVolume(arguments)
case "swaps": swaps(arguments)
case "first-publish": firstPublish(arguments)
default: fail("usage: PodmetaBenchAgent init | swaps | first-publish (see the file header)")
}
