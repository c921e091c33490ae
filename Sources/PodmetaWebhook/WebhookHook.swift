import NIOHTTP1
import PodmetaCore
import PodmetaProcess

/// A hook that sends the change document to an HTTP endpoint of the pod, with retries.
///
/// Each attempt has the hook's timeout. A failed attempt (no connection, no complete answer
/// in time, or a status not expected) is retried after an exponential backoff with jitter,
/// unless a newer change is already waiting: then this run stops and the next one, which
/// reports this run's changes again, goes first. So the latest change always gets the full
/// set of retries.
public struct WebhookHook: HookPerformer {
    public var target: WebhookTarget
    public var method: String
    public var headers: [(String, String)]
    /// Statuses that count as success; empty means any 2xx.
    public var expectedStatuses: Set<Int>
    public var backoff: RetryBackoff
    var client = WebhookClient()
    /// Picks the jitter; replaced in tests.
    var unit: @Sendable () -> Double = { Double.random(in: 0..<1) }
    /// Waits between attempts; returns false when cancelled.
    var sleep: @Sendable (Duration) async -> Bool = { delay in
        (try? await Task.sleep(for: delay)) != nil
    }

    public init(
        target: WebhookTarget, method: String = "POST", headers: [(String, String)] = [],
        expectedStatuses: Set<Int> = [], backoff: RetryBackoff = RetryBackoff()
    ) {
        self.target = target
        self.method = method
        self.headers = headers
        self.expectedStatuses = expectedStatuses
        self.backoff = backoff
    }

    func accepts(_ status: Int) -> Bool {
        expectedStatuses.isEmpty ? (200..<300).contains(status) : expectedStatuses.contains(status)
    }

    public func perform(_ request: HookRequest, context: HookRunContext) async -> HookPerformance {
        var headers = [("Content-Type", "application/json")]
        if let revision = request.revision { headers.append(("Podmeta-Revision", "\(revision)")) }
        headers += self.headers
        let outgoing = WebhookClient.Request(
            target: target, method: HTTPMethod(rawValue: method), headers: headers, body: request.payload)
        var attempt = 0
        var problems: [String] = []
        while true {
            attempt += 1
            let problem: String
            switch await client.send(outgoing, timeout: context.timeout) {
            case .success(let response) where accepts(response.status):
                return HookPerformance(
                    failure: nil, summary: "\(method) \(target) answered \(response.status)", attempts: attempt,
                    details: ["status": "\(response.status)"])
            case .success(let response):
                let body = String(decoding: response.body, as: UTF8.self)
                problem = "answered \(response.status)" + (body.isEmpty ? "" : ": \(body)")
            case .failure(.cancelled):
                return HookPerformance(
                    failure: .shutdown, summary: "\(method) \(target) abandoned at shutdown", attempts: attempt)
            case .failure(let failure):
                problem = failure.description
            }
            problems.append("attempt \(attempt) \(problem)")
            let stop: String? =
                attempt > backoff.retries
                ? "no retries left"
                : context.superseded() ? "a newer change is waiting and will be sent next" : nil
            if let stop {
                return HookPerformance(
                    failure: .request,
                    summary: "\(method) \(target) failed (\(problems.suffix(3).joined(separator: "; "))); \(stop)",
                    attempts: attempt)
            }
            guard await sleep(backoff.delay(beforeRetry: attempt, unit: unit())) else {
                return HookPerformance(
                    failure: .shutdown, summary: "\(method) \(target) abandoned at shutdown", attempts: attempt)
            }
        }
    }
}
