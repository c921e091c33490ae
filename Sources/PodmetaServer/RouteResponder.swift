import NIOCore
import NIOHTTP1
import PodmetaCore
import PodmetaState

/// Computes the complete answers: snapshot routes, health, readiness and metrics.
/// Everything about connections (blocking, streaming, closing) is the handler's business.
struct RouteResponder: Sendable {
    let store: SnapshotStore
    let health: AgentHealth
    let metrics: ServerMetrics
    let renderings: SnapshotRenderings

    /// The answer to a snapshot route for `published`, or 503 without a snapshot.
    func snapshotAnswer(_ route: Route, _ published: PublishedSnapshot?, raw: Bool) -> Answer {
        guard let published else {
            return .error(.serviceUnavailable, "no complete snapshot has been read yet")
        }
        switch route {
        case .snapshot:
            let body = renderings.body("snapshot", of: published) { published.document }
            return Answer(status: .ok, contentType: Answer.jsonType, body: body)
        case .section(let name):
            let body = renderings.body(name, of: published) {
                JSONRenderer(style: .pretty).render(published.snapshot.section(name) ?? .object([:]))
            }
            return Answer(status: .ok, contentType: Answer.jsonType, body: body)
        case .entry(let section, let key):
            let entries = section == "labels" ? published.snapshot.labels : published.snapshot.annotations
            let noun = section == "labels" ? "label" : "annotation"
            guard let value = entries[key] else {
                return .error(.notFound, "\(noun) \"\(key)\" not found")
            }
            if raw {
                return Answer(status: .ok, contentType: Answer.textType, body: ByteBuffer(string: value))
            }
            return Answer(
                status: .ok, contentType: Answer.jsonType,
                body: Answer.json(.object(["key": .string(key), "value": .string(value)])))
        case .watch, .health, .readiness, .metrics:
            preconditionFailure("\(route) is not a snapshot route")
        }
    }

    /// `/healthz`, `/readyz` and `/metrics`.
    func serviceAnswer(_ route: Route) -> Answer {
        switch route {
        case .health:
            let status = health.status
            guard status.alive else { return .error(.serviceUnavailable, "the watcher is not running") }
            return Answer(status: .ok, contentType: Answer.jsonType, body: Answer.json(statusObject("alive", status)))
        case .readiness:
            // Ready means the outputs are there, not only the snapshot in memory: a native
            // sidecar's startup probe lets the app start on this answer.
            let status = health.status
            guard let current = store.current else {
                return .error(.serviceUnavailable, "no complete snapshot has been read yet")
            }
            guard status.ready else {
                let reason = status.degradedReason.map { ": \($0)" } ?? ""
                return .error(.serviceUnavailable, "not every output has been written yet\(reason)")
            }
            var object = statusObject("ready", status)
            if case .object(var members) = object {
                members["revision"] = .int(Int64(clamping: current.revision))
                object = .object(members)
            }
            return Answer(status: .ok, contentType: Answer.jsonType, body: Answer.json(object))
        case .metrics:
            let text = metrics.render(storeWaiters: store.waiterCount)
            return Answer(
                status: .ok, contentType: "text/plain; version=0.0.4; charset=utf-8", body: ByteBuffer(string: text))
        case .snapshot, .section, .entry, .watch:
            preconditionFailure("\(route) is not a service route")
        }
    }

    private func statusObject(_ word: String, _ status: AgentHealth.Status) -> JSONValue {
        var members: [String: JSONValue] = ["status": .string(word)]
        if let reason = status.degradedReason { members["degraded"] = .string(reason) }
        return .object(members)
    }

    /// Whether `If-None-Match` names `etag` (weak comparison, as RFC 9110 wants for it).
    static func ifNoneMatch(_ headers: HTTPHeaders, matches etag: String) -> Bool {
        for value in headers[canonicalForm: "if-none-match"] {
            var tag = Substring(value)
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
            if tag == etag { return true }
        }
        return false
    }

    /// Whether the client asked for the bare value (`Accept: text/plain` without JSON).
    static func prefersText(_ headers: HTTPHeaders) -> Bool {
        var text = false
        for value in headers[canonicalForm: "accept"] {
            let type = value.split(separator: ";").first.map { $0.trimmingSpaces() } ?? ""
            if type == "application/json" { return false }
            if type == "text/plain" { text = true }
        }
        return text
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return s
    }
}
