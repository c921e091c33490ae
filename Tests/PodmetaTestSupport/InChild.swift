import Testing

/// Runs a scenario as the body of an exit test (`#expect(processExitsWith: .success)`):
/// errors become issues, which the exit-test machinery forwards to the parent with their
/// comment, so the child exits 0 unless it crashes.
///
/// Scenarios run in a child process when they own process-wide state: libinotifytools (one
/// watcher per process), waitpid(-1) and the child-subreaper attribute (ExecSupervisor),
/// signal handlers. Swift Testing waits for its exit-test children with waitid(P_ALL), so a
/// test process must neither reap children it did not start nor leave zombies behind.
package func inChild(_ body: () async throws -> Void) async {
    do {
        try await body()
    } catch is ExpectationFailedError {
        // `#require` already recorded the issue.
    } catch {
        Issue.record("the scenario threw: \(error)")
    }
}
