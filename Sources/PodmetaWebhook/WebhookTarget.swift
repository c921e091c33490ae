/// Where a webhook goes: plain HTTP to a host and port, or HTTP over a Unix socket.
///
/// A sidecar reloads its own pod's containers, so by default only loopback hosts
/// (`localhost`, `127.0.0.0/8`, `::1`) and Unix sockets are accepted. Anything else needs
/// the explicit opt-in (`--webhook-allow-remote`, `allowRemote: true`): a relabelled pod
/// must not be able to make its sidecar call arbitrary hosts.
public struct WebhookTarget: Sendable, Hashable, CustomStringConvertible {
    public enum Endpoint: Sendable, Hashable {
        case host(String, port: Int)
        case unixSocket(path: String)
    }

    public var endpoint: Endpoint
    /// The request target: path and query, `/` at least.
    public var path: String
    /// The `Host` header.
    public var hostHeader: String
    /// The URL as given, for logs.
    public var url: String

    /// Parses `http://HOST[:PORT]/PATH` or `http+unix://ENCODED-SOCKET-PATH/PATH` (the
    /// socket path percent-encoded, `%2F` for each `/`, as requests-unixsocket writes it).
    public init(parsing url: String, allowRemote: Bool = false) throws(WebhookTargetError) {
        self.url = url
        let rest: Substring
        let unix: Bool
        if url.hasPrefix("http://") {
            rest = url.dropFirst("http://".count)
            unix = false
        } else if url.hasPrefix("http+unix://") {
            rest = url.dropFirst("http+unix://".count)
            unix = true
        } else if url.hasPrefix("https://") {
            throw WebhookTargetError(
                url: url,
                reason: "uses https, which podmeta does not speak: call the container over plain http on localhost")
        } else {
            throw WebhookTargetError(
                url: url, reason: "must start with http:// (or http+unix:// for a Unix socket)")
        }
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        let tail = rest.dropFirst(authority.count)
        path = tail.isEmpty ? "/" : (tail.hasPrefix("?") ? "/" + tail : String(tail))
        guard !path.contains(where: { $0 == " " || $0 == "\r" || $0 == "\n" || $0 == "#" }) else {
            throw WebhookTargetError(url: url, reason: "has a space, line break or fragment in its path")
        }
        guard !authority.isEmpty else { throw WebhookTargetError(url: url, reason: "has no host") }
        if unix {
            guard let socket = authority.removingPercentEncoding(), socket.hasPrefix("/") else {
                throw WebhookTargetError(
                    url: url,
                    reason: "must name an absolute socket path, percent-encoded: http+unix://%2Frun%2Fapp.sock/path")
            }
            endpoint = .unixSocket(path: socket)
            hostHeader = "localhost"
            return
        }
        guard !authority.contains("@") else {
            throw WebhookTargetError(url: url, reason: "has user information; put credentials in headers")
        }
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw WebhookTargetError(url: url, reason: "has an unclosed [ in its host")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else {
                    throw WebhookTargetError(url: url, reason: "has junk after its host")
                }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        var port = 80
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else {
                throw WebhookTargetError(url: url, reason: "has an invalid port \"\(portText)\"")
            }
            port = value
        }
        guard !host.isEmpty else { throw WebhookTargetError(url: url, reason: "has no host") }
        let name = String(host).lowercased()
        if !allowRemote, !WebhookTarget.isLoopback(name) {
            throw WebhookTargetError(
                url: url,
                reason:
                    "is not on this pod: webhooks go to localhost, 127.0.0.0/8, ::1 or a Unix socket unless "
                    + "--webhook-allow-remote (config: allowRemote: true) says otherwise")
        }
        endpoint = .host(name, port: port)
        let bracketed = name.contains(":") ? "[\(name)]" : name
        hostHeader = port == 80 ? bracketed : "\(bracketed):\(port)"
    }

    /// `localhost`, an IPv4 address in 127.0.0.0/8, or `::1` in any spelling.
    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host.hasSuffix(".localhost") { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        if octets.count == 4, octets.allSatisfy({ UInt8($0) != nil }), octets[0] == "127" { return true }
        let groups = host.split(separator: ":", omittingEmptySubsequences: false)
        if host.contains(":"), groups.count >= 3 {
            let nonEmpty = groups.filter { !$0.isEmpty }
            guard nonEmpty.allSatisfy({ $0.count <= 4 && UInt16($0, radix: 16) != nil }) else { return false }
            let values = nonEmpty.map { UInt16($0, radix: 16)! }
            return values.last == 1 && values.dropLast().allSatisfy { $0 == 0 }
                && (values.count == 8 || host.contains("::"))
        }
        return false
    }

    public var description: String { url }
}

/// A webhook URL podmeta will not call.
public struct WebhookTargetError: Error, Sendable, Hashable, CustomStringConvertible {
    public var url: String
    public var reason: String

    public var description: String { "the webhook URL \"\(url)\" \(reason)" }
}

extension Substring {
    /// `%XX` decoded; nil for a malformed escape or bytes that are not UTF-8.
    fileprivate func removingPercentEncoding() -> String? {
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            else { return nil }
            bytes.append(value)
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
