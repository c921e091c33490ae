import Synchronization

/// `exec --wait` and `exec --splay`: holds each change before it reaches the child, first
/// until the changes stop (the quiescence of ``HookQuiescence``, consul-template's `wait`),
/// then for a uniformly random time in `0...splay`, so that replicas relabelled together do
/// not all reload at once: the order of the agent's hooks.
///
/// Changes arriving while one is held replace it and go out with it: the child gets one
/// signal or restart per quiet period, always with the latest environment.
///
/// Time comes from `clock`, so tests drive it with a manual clock instead of sleeping.
///
/// Structured: ``run()`` is held by its owner's task; cancelling it drops a held change.
public final class ChangeSplay<Element: Sendable, C: Clock>: Sendable where C.Duration == Duration, C: Sendable {
    private let splay: Duration
    private let quiescence: HookQuiescence?
    private let clock: C
    private let fraction: @Sendable () -> Double
    private let held: Mutex<ChangeHold<Element, C.Instant>>
    private let ticks: AsyncStream<Void>
    private let tick: AsyncStream<Void>.Continuation
    /// What comes out: each element after its delay.
    public let output: AsyncStream<Element>
    private let sink: AsyncStream<Element>.Continuation

    /// - Parameters:
    ///   - quiescence: `--wait`; nil sends a change on as soon as the splay allows.
    ///   - fraction: the part of `splay` to wait, in 0...1 (uniformly random unless a test
    ///     fixes it).
    public init(
        splay: Duration, quiescence: HookQuiescence? = nil, clock: C,
        fraction: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
    ) {
        self.splay = splay
        self.quiescence = quiescence
        self.clock = clock
        self.fraction = fraction
        held = Mutex(ChangeHold(quiescence: quiescence))
        (ticks, tick) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        (output, sink) = AsyncStream<Element>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Holds `element` (replacing one already held) until the current wait and delay end.
    public func send(_ element: Element) {
        let now = clock.now
        held.withLock { $0.hold(element, at: now) }
        tick.yield()
    }

    /// No more changes: ``run()`` delivers what it holds, then ends ``output``.
    public func finish() {
        tick.finish()
    }

    public func run() async {
        defer { sink.finish() }
        for await _ in ticks {
            // A tick left over from a change that already went out with the previous one.
            guard held.withLock({ $0.isHolding }) else { continue }
            // Changes only move the release later (never past the first one + the maximum),
            // so sleeping to the current release and looking again is enough.
            while let release = held.withLock({ $0.quietUntil }), clock.now < release {
                do { try await clock.sleep(until: release, tolerance: nil) } catch { return }
            }
            let delay = splay * min(max(fraction(), 0), 1)
            if delay > .zero {
                do { try await clock.sleep(until: clock.now.advanced(by: delay), tolerance: nil) } catch { return }
            }
            if let element = held.withLock({ $0.take() }) {
                sink.yield(element)
            }
        }
    }
}

extension ChangeSplay where C == ContinuousClock {
    public convenience init(
        splay: Duration, quiescence: HookQuiescence? = nil,
        fraction: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
    ) {
        self.init(splay: splay, quiescence: quiescence, clock: ContinuousClock(), fraction: fraction)
    }
}
