/// Why `podmeta demo` could not set up, or which consumer missed a change.
package struct DemoError: Error, Sendable, CustomStringConvertible {
    /// One sentence, e.g. `socket /tmp/d/podmeta.sock: labels still {"version":"1"} 10s after change 2`.
    package var message: String

    init(_ message: String) {
        self.message = message
    }

    package var description: String { message }
}
