import Synchronization

/// `exec --splay`: holds each change for a uniformly random time in `0...splay` before it
/// reaches the child, so that replicas relabelled together do not all reload at once.
/// Changes arriving during the delay replace the held one and go out with it: the child
/// gets one signal or restart for the burst, always with the latest environment.
///
/// Structured: ``run()`` is held by its owner's task; cancelling it drops a held change.
public final class ChangeSplay<Element: Sendable>: Sendable {
    private let splay: Duration
    private let fraction: @Sendable () -> Double
    private let held = Mutex<Element?>(nil)
    private let ticks: AsyncStream<Void>
    private let tick: AsyncStream<Void>.Continuation
    /// What comes out: each element after its delay.
    public let output: AsyncStream<Element>
    private let sink: AsyncStream<Element>.Continuation

    /// - Parameter fraction: the part of `splay` to wait, in 0...1 (uniformly random
    ///   unless a test fixes it).
    public init(splay: Duration, fraction: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }) {
        self.splay = splay
        self.fraction = fraction
        (ticks, tick) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        (output, sink) = AsyncStream<Element>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Holds `element` (replacing one already held) until the current delay ends.
    public func send(_ element: Element) {
        held.withLock { $0 = element }
        tick.yield()
    }

    /// No more changes: ``run()`` delivers what it holds, then ends ``output``.
    public func finish() {
        tick.finish()
    }

    public func run() async {
        defer { sink.finish() }
        for await _ in ticks {
            // A tick left over from a change that already went out with the previous delay.
            guard held.withLock({ $0 != nil }) else { continue }
            let delay = splay * min(max(fraction(), 0), 1)
            if delay > .zero {
                do { try await Task.sleep(for: delay) } catch { return }
            }
            if let element = held.withLock({ value in
                defer { value = nil }; return value
            }) {
                sink.yield(element)
            }
        }
    }
}
