// PodmetaBenchCore: the core benchmarks of bench/run.sh. Timings live here, never
// in tests.
//
//   PodmetaBenchCore generate --out FILE [--size BYTES]   write the annotations file
//   PodmetaBenchCore map --file FILE [--iterations N]     time KubeletMapFile.parse on it
//   PodmetaBenchCore quantity [--count N] [--rounds R]     time Quantity(parsing:) on a mix
//
// Each measuring command prints one JSON object on stdout. The file is generated here (not
// by Go) so that the Go baseline (bench/baselines/gomap) decodes exactly the same bytes.

import Glibc
import PodmetaBenchSupport
import PodmetaCore

/// A fixed-seed generator, so the file is the same bytes on every machine and run.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func pick<T>(_ choices: [T]) -> T { choices[below(choices.count)] }
}

/// A value of the kinds real annotations hold: short flags and ports, kubectl's
/// last-applied JSON (quote escapes on every key), multi-line config, text in several
/// scripts with emoji and combining marks, runes Go escapes (NBSP, U+2028, private use),
/// control characters, checksums. API-server strings are valid UTF-8, so no raw invalid
/// bytes.
func annotationValue(_ random: inout SplitMix64, index: Int) -> String {
    let roll = random.below(100)
    switch roll {
    case 0..<35:
        return random.pick([
            "true", "false", "8080", "/metrics", "team-web", "v1.4.2", "2", "enabled", "30s", "runtime/default",
        ])
    case 35..<50:
        var json =
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"annotations\":{},\"labels\":{\"app\":\"web-\(index)\"},"
        json += "\"name\":\"web-\(index)\",\"namespace\":\"shop\"},\"spec\":{\"containers\":["
        for container in 0..<(1 + random.below(4)) {
            if container > 0 { json += "," }
            json += "{\"image\":\"registry.example.com/web:\(random.below(100))\",\"name\":\"c\(container)\","
            json += "\"ports\":[{\"containerPort\":\(8000 + random.below(1000)),\"protocol\":\"TCP\"}],"
            json += "\"resources\":{\"limits\":{\"cpu\":\"500m\",\"memory\":\"128Mi\"}}}"
        }
        return json + "]}}\n"
    case 50..<62:
        var text = ""
        for line in 0..<(2 + random.below(8)) {
            text += "\tkey_\(line) = \"value \(random.below(10000))\"\n"
        }
        return "[section]\n" + text
    case 62..<82:
        let words = [
            "café", "naïve", "Zürich", "日本語のテキスト", "中文注释", "한국어", "Ελληνικά", "русский",
            "עברית", "العربية", "🚀", "👩‍💻", "e\u{301}", "ñ", "✓", "∑", "→",
        ]
        var text = ""
        for word in 0..<(3 + random.below(12)) {
            if word > 0 { text += " " }
            text += random.pick(words)
        }
        return text
    case 82..<88:
        // Runes Go's %q escapes (\u00a0, \u2028, \ue000, \ufeff) around plain text.
        return "owner\u{A0}team \u{2028}line\u{E000}private \u{FEFF}bom \(index)"
    case 88..<93:
        // Control characters: NUL, bell, escape, DEL, a tab, a carriage return.
        return "bin\u{0}ary\u{7}\u{1B}[0m\u{7F}\tcol\r\n\(index)"
    default:
        var hex = ""
        let digits = Array("0123456789abcdef")
        for _ in 0..<64 { hex.append(digits[random.below(16)]) }
        return hex
    }
}

/// The kubelet's FormatMap of a map grown until it reaches `size` bytes: keys sorted
/// bytewise, `key=%q` lines joined by `\n`, no trailing newline.
func annotationsFile(size: Int) -> [UInt8] {
    var random = SplitMix64(state: 0x5EED_0F_A11)
    let prefixes = [
        "example.com/", "app.kubernetes.io/", "prometheus.io/", "sidecar.istio.io/", "checksum/",
        "kubectl.kubernetes.io/", "deployment.kubernetes.io/", "cluster-autoscaler.kubernetes.io/",
        "",
    ]
    var map: [String: String] = [:]
    var total = 0
    var index = 0
    while total < size {
        let key = random.pick(prefixes) + "key-\(index)"
        let value = annotationValue(&random, index: index)
        let line = key.utf8.count + 1 + GoStringLiteral.quote(Array(value.utf8)).utf8.count + 1
        if total + line > size && !map.isEmpty { break }
        map[key] = value
        total += line
        index += 1
    }
    let keys = map.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    var out: [UInt8] = []
    out.reserveCapacity(total)
    for key in keys {
        if !out.isEmpty { out.append(UInt8(ascii: "\n")) }
        out.append(contentsOf: key.utf8)
        out.append(UInt8(ascii: "="))
        out.append(contentsOf: GoStringLiteral.quote(Array(map[key]!.utf8)).utf8)
    }
    return out
}

/// Nanoseconds as microseconds with one decimal.
func microseconds(_ nanoseconds: UInt64) -> Double { Double((nanoseconds + 50) / 100) / 10 }

func readWholeFile(_ path: String) -> [UInt8] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { fail("open \(path): \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        if n < 0 { fail("read \(path): \(String(cString: strerror(errno)))") }
        if n == 0 { return bytes }
        bytes.append(contentsOf: chunk[0..<n])
    }
}

func generate(_ arguments: [String]) {
    guard let path = option("--out", arguments) else { fail("generate needs --out") }
    let size = Int(option("--size", arguments) ?? "262144") ?? 262_144
    let bytes = annotationsFile(size: size)
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { fail("create \(path): \(String(cString: strerror(errno)))") }
    var offset = 0
    while offset < bytes.count {
        let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
        if n <= 0 { fail("write \(path): \(String(cString: strerror(errno)))") }
        offset += n
    }
    close(fd)
}

func timeMapParse(_ arguments: [String]) {
    guard let path = option("--file", arguments) else { fail("map needs --file") }
    let iterations = Int(option("--iterations", arguments) ?? "300") ?? 300
    let bytes = readWholeFile(path)
    // A check that both decoders agree: entries and decoded value bytes.
    let first: KubeletMapFile
    do {
        first = try KubeletMapFile.parse(bytes, path: path, strict: true)
    } catch {
        fail("\(error)")
    }
    let valueBytes = first.entries.values.reduce(0) { $0 + $1.utf8.count }
    for _ in 0..<10 { _ = try? KubeletMapFile.parse(bytes, path: path, strict: true) }
    var samples: [UInt64] = []
    samples.reserveCapacity(iterations)
    var sink = 0
    for _ in 0..<iterations {
        let start = monotonicNanoseconds()
        let parsed = try? KubeletMapFile.parse(bytes, path: path, strict: true)
        let took = monotonicNanoseconds() - start
        sink &+= parsed?.entries.count ?? 0
        samples.append(took)
    }
    samples.sort()
    let median = percentile(samples, 0.5)!
    let mbps = Double(bytes.count) / (Double(median) / 1e9) / 1e6
    print(
        "{\"impl\": \"swift\", \"bytes\": \(bytes.count), \"entries\": \(first.entries.count), \"value_bytes\": \(valueBytes), "
            + "\"warnings\": \(first.warnings.count), \"iterations\": \(iterations), \"median_us\": \(microseconds(median)), "
            + "\"p99_us\": \(microseconds(percentile(samples, 0.99)!)), \"min_us\": \(microseconds(samples[0])), "
            + "\"mb_per_s\": \(Int(mbps.rounded())), \"sink\": \(sink)}")
}

/// Quantities as pod specs and downward API divisors write them, most common first.
let quantityMix: [(text: String, weight: Int)] = [
    ("100m", 12), ("250m", 10), ("500m", 10), ("1", 8), ("2", 5), ("4", 3), ("1500m", 2), ("0.5", 3),
    ("128Mi", 10), ("256Mi", 8), ("512Mi", 6), ("1Gi", 6), ("2Gi", 4), ("4Gi", 2), ("16Gi", 1),
    ("64Ki", 1), ("1Mi", 2), ("1m", 2), ("500M", 1), ("1G", 1), ("10k", 1), ("1e3", 1), ("1.5Gi", 1),
    ("0.1", 1), ("1Ti", 1),
]

func timeQuantityParse(_ arguments: [String]) {
    let count = Int(option("--count", arguments) ?? "100000") ?? 100_000
    let rounds = Int(option("--rounds", arguments) ?? "15") ?? 15
    var table: [String] = []
    for (text, weight) in quantityMix { table += Array(repeating: text, count: weight) }
    var random = SplitMix64(state: 42)
    // Fresh String values (not literals shared by pointer), built before timing.
    let inputs = (0..<count).map { _ in String(decoding: Array(random.pick(table).utf8), as: UTF8.self) }
    var sink = 0
    var failures = 0
    func round() -> UInt64 {
        let start = monotonicNanoseconds()
        for text in inputs {
            do {
                let quantity = try Quantity(parsing: text)
                if quantity.format == .binarySI { sink &+= 1 }
            } catch {
                failures += 1
            }
        }
        return monotonicNanoseconds() - start
    }
    _ = round()
    var samples = (0..<rounds).map { _ in round() }
    samples.sort()
    let median = percentile(samples, 0.5)!
    if failures > 0 { fail("\(failures) quantities failed to parse") }
    print(
        "{\"count\": \(count), \"rounds\": \(rounds), \"distinct\": \(quantityMix.count), "
            + "\"median_round_ms\": \(Double(median / 1000) / 1000), \"ns_per_parse\": \((Double(median) / Double(count) * 10).rounded() / 10), "
            + "\"best_ns_per_parse\": \((Double(samples[0]) / Double(count) * 10).rounded() / 10), "
            + "\"parses_per_s\": \(Int(Double(count) / (Double(median) / 1e9))), \"sink\": \(sink)}")
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "generate": generate(arguments)
case "map": timeMapParse(arguments)
case "quantity": timeQuantityParse(arguments)
default: fail("usage: PodmetaBenchCore generate | map | quantity (see the file header)")
}
