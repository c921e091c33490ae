import Glibc
import Logging
import PodmetaCore
import PodmetaIO
import PodmetaProcess
import PodmetaState

/// A config file rendered from a Mustache template with the snapshot document as context,
/// for legacy apps that only read their own config format.
///
/// The template is read again before every render, so a template mounted from a ConfigMap
/// can change without a restart. A template that fails to read, parse or render keeps the
/// previous destination file and is reported with its line and column. Output is not
/// HTML-escaped: the destination is a config file, not a web page.
package struct TemplateOutput: SnapshotOutput {
    package var name: String { "template:\(path)" }
    package let path: String
    package let source: String
    package let strict: Bool
    private let writer: AtomicFileWriter
    private let hook: HookRunner?

    /// - Parameter command: fired after the destination changed: a runner from
    ///   ``HookDispatcher/makeRunner(_:)``, so that it has the agent's environment and
    ///   timeout, and is retired on SIGHUP and bounded by the shutdown deadline.
    /// - Throws: ``TemplateOutputError`` when the template cannot be read or parsed now.
    package init(
        source: String, destination: String, mode: UInt32 = 0o644, strict: Bool = false,
        command: HookRunner? = nil, forbiddenRoot: String?, logger: Logger
    ) throws(TemplateOutputError) {
        self.source = source
        self.path = destination
        self.strict = strict
        self.writer = AtomicFileWriter(path: destination, mode: mode, forbiddenRoot: forbiddenRoot)
        self.hook = command
        _ = try TemplateOutput.load(source)
    }

    static func load(_ source: String) throws(TemplateOutputError) -> MustacheTemplate {
        // Never nil: a missing template is an error here.
        try load(source, missingIsNil: false)!
    }

    /// The template at `source`, or nil when it does not exist and `missingIsNil`.
    static func load(_ source: String, missingIsNil: Bool) throws(TemplateOutputError) -> MustacheTemplate? {
        let bytes: [UInt8]
        do {
            bytes = try SmallFile.read(source, limit: 4 << 20)
        } catch {
            if missingIsNil, error.isAbsent { return nil }
            throw TemplateOutputError(template: source, kind: .unreadable, reason: "cannot read it: \(error.message)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw TemplateOutputError(template: source, kind: .invalid, reason: "it is not valid UTF-8")
        }
        do {
            return try MustacheTemplate(parsing: text, name: source)
        } catch {
            throw TemplateOutputError(template: source, kind: .invalid, reason: "\(error)")
        }
    }

    package func write(_ published: PublishedSnapshot) throws {
        _ = try render(published)
    }

    /// Renders and writes the destination; true when its bytes changed (the template's
    /// command, if any, is then fired), false when the file already held them.
    package func render(_ published: PublishedSnapshot) throws -> Bool {
        let template = try TemplateOutput.load(source)
        let partials = TemplatePartials(template: source)
        let text: String
        do {
            text = try template.render(
                published.snapshot.document(revision: published.revision), escape: .none, strict: strict
            ) { partials.load($0) }
        } catch {
            throw partials.failure ?? TemplateOutputError(template: source, kind: .invalid, reason: "\(error)")
        }
        if let failure = partials.failure { throw failure }
        guard try writer.write(Array(text.utf8)) else { return false }
        hook?.fire(
            HookRequest(
                revision: published.revision, payload: [],
                environment: ["PODMETA_REVISION": "\(published.revision)"]))
        return true
    }
}

/// A template could not be read, parsed or rendered.
package struct TemplateOutputError: Error, Sendable, CustomStringConvertible {
    /// Whether the template could not be read at all or did not parse or render.
    package enum Kind: Sendable {
        case unreadable
        case invalid
    }

    package var template: String
    package var kind: Kind
    package var reason: String

    package var description: String {
        reason.hasPrefix(template) ? reason : "template \(template): \(reason)"
    }
}
