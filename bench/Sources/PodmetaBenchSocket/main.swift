// podmeta-bench-socket: load generator and fixture server for the socket benchmark
// (bench/socket.sh drives it against podmeta's server and nginx).
//
//   PodmetaBenchSocket document                      the sample document, pretty JSON
//   PodmetaBenchSocket serve --socket P [--group own|singleton] [--max-connections N]
//   PodmetaBenchSocket load --socket P --path /v1/snapshot --connections N --seconds S
//   PodmetaBenchSocket idle --socket P --count N --pid PID [--blocking [--revision R]]
//       N connections, each after one answered request (keep-alive) or holding a blocking
//       query /v1/labels?revision=R&wait=10m (R: the server's current revision, default 1,
//       so that the query waits); the RSS of PID before and after, and how many blocking
//       queries were answered early (they did not wait: the figure would be meaningless)
//   PodmetaBenchSocket rss --pid PID
//
// The load generator is one thread multiplexing N keep-alive connections with poll(2):
// on a 2-core machine it leaves the other core to the server under test.

import Glibc
import Logging
import NIOCore
import NIOPosix
import PodmetaBenchSupport
import PodmetaCore
import PodmetaServer
import PodmetaState

/// A pod as a web workload looks: a dozen labels, a few annotations (one of them the
/// kubectl last-applied blob), resources.
func sampleSnapshot() -> PodSnapshot {
    var snapshot = PodSnapshot()
    snapshot.pod.name = "web-5d8f7c9b6-x2k4q"
    snapshot.pod.namespace = "shop"
    snapshot.pod.uid = "1f6c2e0a-8a0b-4c1e-9d1e-2b7f3c4d5e6f"
    snapshot.pod.nodeName = "node-a-1"
    snapshot.pod.ip = "10.1.2.3"
    snapshot.pod.ips = ["10.1.2.3", "fd00::3"]
    for index in 0..<12 { snapshot.labels["example.com/label-\(index)"] = "value-\(index)" }
    snapshot.labels["app.kubernetes.io/name"] = "shop"
    snapshot.annotations["kubectl.kubernetes.io/last-applied-configuration"] = String(
        repeating: "{\"apiVersion\":\"v1\"}", count: 80)
    snapshot.annotations["kubernetes.io/config.seen"] = "2024-01-01T00:00:00Z"
    snapshot.env = ["POD_NAME": snapshot.pod.name!, "POD_NAMESPACE": "shop"]
    if let cpu = try? Quantity(parsing: "500m"), let memory = try? Quantity(parsing: "128Mi") {
        snapshot.limits["cpu"] = ResourceReading(
            quantity: cpu, raw: "500", divisor: try? Quantity(parsing: "1m"), source: "volume:cpu_limit")
        snapshot.limits["memory"] = ResourceReading(
            quantity: memory, raw: "128", divisor: try? Quantity(parsing: "1Mi"), source: "volume:mem_limit")
    }
    return snapshot
}

func rssKiB(pid: Int32) -> Int {
    let fd = open("/proc/\(pid)/status", O_RDONLY)
    guard fd >= 0 else { return -1 }
    defer { close(fd) }
    var bytes = [UInt8](repeating: 0, count: 8192)
    let n = read(fd, &bytes, bytes.count)
    guard n > 0 else { return -1 }
    for line in String(decoding: bytes[0..<n], as: UTF8.self).split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? -1
    }
    return -1
}

func connectUnix(_ path: String, nonBlocking: Bool) -> Int32 {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        raw.copyBytes(from: bytes)
        raw[bytes.count] = 0
    }
    let result = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
        }
    }
    if result != 0 { fail("connect \(path): \(String(cString: strerror(errno)))") }
    if nonBlocking { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    return fd
}

/// Index of the end of the head (`\r\n\r\n`) and the Content-Length, once a head is complete.
func parseHead(_ buffer: [UInt8]) -> (headEnd: Int, length: Int)? {
    guard buffer.count >= 4 else { return nil }
    for i in 0...(buffer.count - 4)
    where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 {
        let head = String(decoding: buffer[0..<i], as: UTF8.self).lowercased()
        var length = 0
        for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
            length = Int(line.dropFirst("content-length:".count).trimmingPrefix(" ")) ?? 0
        }
        return (i + 4, length)
    }
    return nil
}

func load(_ arguments: [String]) {
    guard let path = option("--socket", arguments) else { fail("load needs --socket") }
    let target = option("--path", arguments) ?? "/v1/snapshot"
    let count = Int(option("--connections", arguments) ?? "1") ?? 1
    let seconds = Double(option("--seconds", arguments) ?? "5") ?? 5
    let request = Array("GET \(target) HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)

    struct Connection {
        var fd: Int32
        var buffer: [UInt8] = []
        var started: UInt64 = 0
    }
    var connections = (0..<count).map { _ in Connection(fd: connectUnix(path, nonBlocking: true)) }
    var latencies: [UInt32] = []
    latencies.reserveCapacity(2_000_000)
    var failures = 0
    let start = monotonicNanoseconds()
    let end = start + UInt64(seconds * 1e9)
    func send(_ index: Int) {
        connections[index].started = monotonicNanoseconds()
        let n = request.withUnsafeBytes {
            Glibc.send(connections[index].fd, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL))
        }
        if n != request.count { fail("short send") }
    }
    for index in connections.indices { send(index) }
    var pollSet = connections.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
    var chunk = [UInt8](repeating: 0, count: 65536)
    var now = start
    while now < end {
        let ready = poll(&pollSet, nfds_t(pollSet.count), 1000)
        if ready < 0 { if errno == EINTR { continue } else { fail("poll: \(String(cString: strerror(errno)))") } }
        now = monotonicNanoseconds()
        for index in pollSet.indices where pollSet[index].revents != 0 {
            pollSet[index].revents = 0
            let n = chunk.withUnsafeMutableBytes { recv(connections[index].fd, $0.baseAddress!, $0.count, 0) }
            if n <= 0 {
                if n < 0 && errno == EAGAIN { continue }
                fail("connection \(index) closed after \(latencies.count) responses")
            }
            connections[index].buffer.append(contentsOf: chunk[0..<n])
            while let (headEnd, length) = parseHead(connections[index].buffer),
                connections[index].buffer.count >= headEnd + length
            {
                if !connections[index].buffer.starts(with: Array("HTTP/1.1 200".utf8)) { failures += 1 }
                connections[index].buffer.removeFirst(headEnd + length)
                let took = (monotonicNanoseconds() - connections[index].started) / 1000
                latencies.append(UInt32(min(took, UInt64(UInt32.max))))
                if now < end { send(index) }
            }
        }
    }
    let elapsed = Double(monotonicNanoseconds() - start) / 1e9
    latencies.sort()
    func percentile(_ p: Double) -> UInt32 {
        latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
    }
    print(
        "{\"connections\": \(count), \"requests\": \(latencies.count), \"failures\": \(failures), "
            + "\"rps\": \(Int(Double(latencies.count) / elapsed)), \"p50_us\": \(percentile(0.5)), \"p99_us\": \(percentile(0.99))}"
    )
    for connection in connections { close(connection.fd) }
}

/// Opens `count` connections that each wait: a blocking query on podmeta, or an idle
/// keep-alive connection after one request (for servers without blocking queries). Prints
/// the RSS of `pid` before and after, and holds the connections until stdin closes.
func idle(_ arguments: [String]) {
    guard let path = option("--socket", arguments), let pid = option("--pid", arguments).flatMap({ Int32($0) }) else {
        fail("idle needs --socket and --pid")
    }
    let count = Int(option("--count", arguments) ?? "1000") ?? 1000
    let blocking = arguments.contains("--blocking")
    let revision = Int(option("--revision", arguments) ?? "1") ?? 1
    let before = rssKiB(pid: pid)
    var fds: [Int32] = []
    for _ in 0..<count {
        let fd = connectUnix(path, nonBlocking: false)
        let target = blocking ? "/v1/labels?revision=\(revision)&wait=10m" : "/v1/snapshot"
        let request = Array("GET \(target) HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { Glibc.send(fd, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL)) }
        if !blocking {
            var buffer: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
                if n <= 0 { fail("closed while reading") }
                buffer.append(contentsOf: chunk[0..<n])
                if let (headEnd, length) = parseHead(buffer), buffer.count >= headEnd + length { break }
            }
        }
        fds.append(fd)
    }
    // Let the server register every waiter before measuring.
    usleep(1_000_000)
    let after = rssKiB(pid: pid)
    // A waiting query has nothing to read yet; one that was answered (or refused) has.
    var answered = 0
    if blocking {
        var byte: UInt8 = 0
        for fd in fds where recv(fd, &byte, 1, Int32(MSG_DONTWAIT) | Int32(MSG_PEEK)) >= 0 { answered += 1 }
    }
    print(
        "{\"connections\": \(count), \"blocking\": \(blocking), \"answered_early\": \(answered), "
            + "\"rss_before_kib\": \(before), \"rss_after_kib\": \(after)}"
    )
    for fd in fds { close(fd) }
}

func serve(_ arguments: [String]) async throws {
    guard let path = option("--socket", arguments) else { fail("serve needs --socket") }
    let store = SnapshotStore()
    store.publish(sampleSnapshot())
    let health = AgentHealth()
    health.update {
        $0.alive = true
        $0.ready = true
    }
    var configuration = SocketServerConfiguration(path: path)
    configuration.maxConnections = Int(option("--max-connections", arguments) ?? "256") ?? 256
    configuration.idleTimeout = .seconds(600)
    let group: (any EventLoopGroup)? =
        option("--group", arguments) == "singleton" ? NIOSingletons.posixEventLoopGroup : nil
    let server = SocketServer(
        configuration: configuration, store: store, health: health, metrics: MetricsRegistry(),
        logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }), eventLoopGroup: group)
    try await server.start()
    let ready = Array("ready \(getpid())\n".utf8)
    _ = ready.withUnsafeBytes { write(1, $0.baseAddress!, $0.count) }
    // Until stdin closes (the script holds it open).
    let running = Task { try await server.run() }
    await Task.detached {
        var byte: UInt8 = 0
        while read(0, &byte, 1) > 0 {}
    }.value
    server.triggerShutdown()
    try await running.value
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "document":
    let bytes = PublishedSnapshot(revision: 1, snapshot: sampleSnapshot(), publishedAt: 0).document
    _ = bytes.withUnsafeBytes { write(1, $0.baseAddress!, $0.count) }
case "serve": try await serve(arguments)
case "load": load(arguments)
case "idle": idle(arguments)
case "rss":
    guard let pid = option("--pid", arguments).flatMap({ Int32($0) }) else { fail("rss needs --pid") }
    print(rssKiB(pid: pid))
default:
    fail("usage: PodmetaBenchSocket document | serve | load | idle | rss (see the file header)")
}
