/// Every metric podmeta exports. A new metric is one `static let` here and one entry in
/// ``all``; docs/metrics.md lists the same names.
extension Metric {
    /// Every family, in the order nothing depends on: the exposition sorts by name. A family
    /// missing here still renders once it has a sample, but not its HELP and TYPE before.
    package static let all: [Metric] = [
        reads, readErrors, sourceWarnings, publishes, revision, lastChange, ready, outputWrites, outputErrors,
        hookRuns, hookFailures, hookDuration, hookCoalesced, hookRetries,
        socketRequests, socketConnections, socketRejections, socketBlockingQueries, socketWatchStreams,
        snapshotWaiters,
    ]

    // The agent loop.
    package static let reads = Metric(
        "podmeta_reads_total", .counter, help: "Source reads, by trigger.", labels: ["trigger"])
    package static let readErrors = Metric(
        "podmeta_read_errors_total", .counter, help: "Failed source reads, by reason.", labels: ["reason"])
    package static let sourceWarnings = Metric(
        "podmeta_source_warnings_total", .counter, help: "Skipped malformed source data.")
    package static let publishes = Metric("podmeta_publishes_total", .counter, help: "Published revisions.")
    package static let revision = Metric("podmeta_revision", .gauge, help: "Current snapshot revision.")
    package static let lastChange = Metric(
        "podmeta_last_change_timestamp_seconds", .gauge, help: "When the last revision was published.")
    package static let ready = Metric(
        "podmeta_ready", .gauge, help: "1 once every output has been written with a complete snapshot.")
    package static let outputWrites = Metric(
        "podmeta_output_writes_total", .counter, help: "Output writes, by output.", labels: ["output"])
    package static let outputErrors = Metric(
        "podmeta_output_errors_total", .counter, help: "Failed output writes, by output.", labels: ["output"])

    // Hooks.
    package static let hookRuns = Metric(
        "podmeta_hook_runs_total", .counter, help: "Hook runs, by hook and result.", labels: ["hook", "result"])
    package static let hookFailures = Metric(
        "podmeta_hook_failures_total", .counter, help: "Failed hook runs, by hook and reason.",
        labels: ["hook", "reason"])
    package static let hookDuration = Metric(
        "podmeta_hook_duration_seconds", .summary, help: "How long hook runs took, by hook.", labels: ["hook"])
    package static let hookCoalesced = Metric(
        "podmeta_hook_coalesced_total", .counter, help: "Hook requests merged into a later run.", labels: ["hook"])
    package static let hookRetries = Metric(
        "podmeta_hook_retries_total", .counter, help: "Webhook attempts beyond the first, by hook.", labels: ["hook"])

    // The socket.
    package static let socketRequests = Metric(
        "podmeta_socket_requests_total", .counter, help: "Requests answered on the socket, by route and status.",
        labels: ["route", "status"])
    package static let socketConnections = Metric(
        "podmeta_socket_connections", .gauge, help: "Open socket connections.")
    package static let socketRejections = Metric(
        "podmeta_socket_connections_rejected_total", .counter,
        help: "Socket connections refused or cut off, by reason (\(socketRejectionReasons.joined(separator: ", "))).",
        labels: ["reason"])
    /// The `reason` values of ``socketRejections``: `limit` and `uid` refuse a connection at
    /// accept, `stalled` cuts off a watch client that stopped reading. The HELP text lists them
    /// from here, and the server counts no other.
    package static let socketRejectionReasons = ["limit", "uid", "stalled"]
    package static let socketBlockingQueries = Metric(
        "podmeta_socket_blocking_queries", .gauge, help: "Blocking queries waiting for a new revision.")
    package static let socketWatchStreams = Metric(
        "podmeta_socket_watch_streams", .gauge, help: "Open /v1/watch streams.")
    package static let snapshotWaiters = Metric(
        "podmeta_snapshot_waiters", .gauge, help: "Callbacks waiting in the snapshot store.")
}
