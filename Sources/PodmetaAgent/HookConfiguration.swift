import PodmetaCore
import PodmetaProcess

/// One change hook: what to run, and which changes fire it.
package struct HookConfiguration: Sendable {
    /// Shown in logs and metrics.
    package var name: String
    /// argv, or a shell command run by `/bin/sh -c`.
    package var command: ProcessCommand
    /// `on:` filters; empty means every change of labels or annotations (kubelet-local
    /// annotations excepted).
    package var filters: [ChangeFilter]
    /// The new labels must match this selector for the hook to fire.
    package var selector: LabelSelector?
    /// Killed (its whole process group) past this.
    package var timeout: Duration
    /// consul-template's `wait`: calm required before a run, and the longest delay.
    package var quiescence: HookQuiescence?

    package init(
        name: String, command: ProcessCommand, filters: [ChangeFilter] = [], selector: LabelSelector? = nil,
        timeout: Duration = .seconds(30), quiescence: HookQuiescence? = nil
    ) {
        self.name = name
        self.command = command
        self.filters = filters
        self.selector = selector
        self.timeout = timeout
        self.quiescence = quiescence
    }

    /// Whether a change set fires this hook, given the labels it would run with.
    func fires(on changes: [MetadataChange], labels: [String: String]) -> Bool {
        guard !changes.isEmpty else { return false }
        if !filters.isEmpty, !filters.contains(where: { $0.matchesAny(changes) }) { return false }
        if let selector, !selector.matches(labels) { return false }
        return true
    }
}
