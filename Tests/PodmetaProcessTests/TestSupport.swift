import Glibc

/// Environment for children: a PATH, nothing else inherited.
let basicEnvironment = ["PATH": "/usr/local/bin:/usr/bin:/bin"]

/// /proc/PID/stat: (state, process group), nil when the process does not exist.
func processState(_ pid: Int32) -> (state: Character, group: Int32)? {
    let fd = open("/proc/\(pid)/stat", O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 1024)
    let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    guard count > 0 else { return nil }
    let text = String(decoding: buffer[0..<count], as: UTF8.self)
    // "pid (comm) S ppid pgrp ...": comm may hold spaces and parentheses, so split after the last ')'.
    guard let close = text.lastIndex(of: ")") else { return nil }
    let fields = text[text.index(after: close)...].split(separator: " ")
    guard fields.count > 2, let state = fields[0].first, let group = Int32(fields[2]) else { return nil }
    return (state, group)
}

/// True when `pid` exists and is not a zombie.
func isRunning(_ pid: Int32) -> Bool {
    guard let state = processState(pid) else { return false }
    return state.state != "Z"
}

/// Live (non-zombie) processes whose process group is `group`.
func liveMembers(ofProcessGroup group: Int32) -> [Int32] {
    guard let directory = opendir("/proc") else { return [] }
    defer { closedir(directory) }
    var members: [Int32] = []
    while let entry = readdir(directory) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        guard let pid = Int32(name), let state = processState(pid) else { continue }
        if state.group == group, state.state != "Z" { members.append(pid) }
    }
    return members
}

/// Go-style durations for the quiescence parser: `500ms`, `5s`, `2m`.
func parseTestDuration(_ text: String) -> Duration? {
    for (suffix, unit) in [("ms", Duration.milliseconds(1)), ("s", .seconds(1)), ("m", .seconds(60))]
    where text.hasSuffix(suffix) {
        guard let value = Int(text.dropLast(suffix.count)) else { return nil }
        return unit * value
    }
    return nil
}
