/// The timing of ``ChangeSplay``'s quiescence wait, with no clock of its own: the latest
/// change held, and when the first and the latest of the changes it stands for arrived.
///
/// Pure, so that the wait is tested with made-up instants.
struct ChangeHold<Element, Instant: InstantProtocol> where Instant.Duration == Duration {
    let quiescence: HookQuiescence?
    private(set) var element: Element?
    private var firstChange: Instant?
    private var lastChange: Instant?

    init(quiescence: HookQuiescence?) {
        self.quiescence = quiescence
    }

    var isHolding: Bool { element != nil }

    /// Holds `element` instead of the one held, if any; a quiet period starts with the
    /// first change held.
    mutating func hold(_ element: Element, at now: Instant) {
        self.element = element
        if firstChange == nil { firstChange = now }
        lastChange = now
    }

    /// When the changes held have been quiet long enough (`minimum` after the latest, but
    /// no later than `maximum` after the first); nil without a quiescence or a change.
    var quietUntil: Instant? {
        guard let quiescence, let firstChange, let lastChange else { return nil }
        return quiescence.deadline(firstTrigger: firstChange, lastTrigger: lastChange)
    }

    /// The change to send, which ends the quiet period: the next change starts a new one.
    mutating func take() -> Element? {
        defer {
            element = nil
            firstChange = nil
            lastChange = nil
        }
        return element
    }
}
