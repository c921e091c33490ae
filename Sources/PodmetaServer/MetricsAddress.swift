/// Where the optional TCP listener for `/metrics`, `/healthz` and `/readyz` binds:
/// `HOST:PORT`, with IPv6 literals in brackets (`[::1]:9533`). Port 0 picks a free port.
public struct MetricsAddress: Sendable, Equatable, CustomStringConvertible {
    /// An IP literal or a host name (resolved when the listener binds).
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT` or `[IPV6]:PORT`.
    ///
    /// - Throws: a sentence saying what is wrong and what a valid address looks like.
    public init(parsing text: String) throws(MetricsAddressError) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw MetricsAddressError(text: text, reason: "an IPv6 address needs brackets and a port, [::1]:9533")
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw MetricsAddressError(text: text, reason: "it has no port")
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            if host.contains(":") {
                throw MetricsAddressError(text: text, reason: "write an IPv6 address in brackets, [::1]:9533")
            }
        }
        guard !host.isEmpty else {
            throw MetricsAddressError(
                text: text, reason: "it has no host; use 0.0.0.0 for every interface or 127.0.0.1 for loopback")
        }
        guard !portText.isEmpty, portText.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(portText),
            (0...65535).contains(port)
        else {
            throw MetricsAddressError(text: text, reason: "the port must be a number from 0 to 65535")
        }
        self.host = String(host)
        self.port = port
    }

    /// `HOST:PORT`, brackets around IPv6 literals.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

/// A `--metrics-address` value that is not `HOST:PORT`.
public struct MetricsAddressError: Error, Sendable, Equatable, CustomStringConvertible {
    public var text: String
    public var reason: String

    public var description: String {
        "the metrics address \"\(text)\" is not HOST:PORT (\(reason)), e.g. 0.0.0.0:9533 or [::1]:9533"
    }
}
