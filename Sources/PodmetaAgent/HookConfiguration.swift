import PodmetaCore
import PodmetaProcess

/// One change hook: what to run (a command, a webhook, a signal), and which changes fire it.
package struct HookConfiguration: Sendable {
    /// Shown in logs and metrics.
    package var name: String
    /// argv or a shell command run by `/bin/sh -c`, or a performer (webhook, signal).
    package var action: HookAction
    /// `on:` filters; empty means every change of labels or annotations (kubelet-local
    /// annotations excepted).
    package var filters: [ChangeFilter]
    /// The new labels must match this selector for the hook to fire.
    package var selector: LabelSelector?
    /// Killed (its whole process group) past this.
    package var timeout: Duration
    /// consul-template's `wait`: calm required before a run, and the longest delay.
    package var quiescence: HookQuiescence?
    /// Each run first waits a random time up to this, so replicas spread out.
    package var splay: Duration = .zero

    package init(
        name: String, command: ProcessCommand, filters: [ChangeFilter] = [], selector: LabelSelector? = nil,
        timeout: Duration = .seconds(30), quiescence: HookQuiescence? = nil
    ) {
        self.init(
            name: name, action: .command(command), filters: filters, selector: selector, timeout: timeout,
            quiescence: quiescence)
    }

    package init(
        name: String, action: HookAction, filters: [ChangeFilter] = [], selector: LabelSelector? = nil,
        timeout: Duration = .seconds(30), quiescence: HookQuiescence? = nil
    ) {
        self.name = name
        self.action = action
        self.filters = filters
        self.selector = selector
        self.timeout = timeout
        self.quiescence = quiescence
    }

    /// Whether a change set fires this hook, given the labels it would run with.
    package func fires(on changes: [MetadataChange], labels: [String: String]) -> Bool {
        guard !changes.isEmpty else { return false }
        if !filters.isEmpty, !filters.contains(where: { $0.matchesAny(changes) }) { return false }
        if let selector, !selector.matches(labels) { return false }
        return true
    }
}
