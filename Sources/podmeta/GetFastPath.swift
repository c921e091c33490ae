/// `podmeta get`'s everyday command lines, parsed without argument-parser:
/// `get [--file F | --socket S [--fallback-file F]] [--json] SECTION [KEY]`, options before,
/// between or after the operands, each at most once.
///
/// A one-shot read is mostly start-up, and most of that start-up was argument-parser's
/// reflection (Mirror over the command's property wrappers, dynamic casts, each first cast a
/// scan of every protocol conformance in the binary). Everything this does not accept exactly
/// (`--help`, `--timeout`, `--file=F`, `--`, an unknown, repeated or value-less option, a
/// value or key that starts with `-` or is empty, an unknown section, a combination that
/// ``GetCommand/validate()`` refuses) returns nil and goes through argument-parser, so its
/// messages and exit statuses stay argument-parser's own.
enum GetFastPath {
    /// The request, or nil when argument-parser must parse this command line.
    static func request(_ arguments: [String]) -> GetRequest? {
        guard arguments.count >= 3, arguments[1] == "get" else { return nil }
        var socket: String?
        var file: String?
        var fallbackFile: String?
        var json = false
        var operands: [String] = []
        var index = 2
        while index < arguments.count {
            let token = arguments[index]
            index += 1
            guard !token.isEmpty else { return nil }
            guard token.hasPrefix("-") else {
                operands.append(token)
                continue
            }
            if token == "--json" {
                guard !json else { return nil }
                json = true
                continue
            }
            guard index < arguments.count, case let value = arguments[index], !value.isEmpty, !value.hasPrefix("-")
            else { return nil }
            index += 1
            switch token {
            case "--file" where file == nil: file = value
            case "--socket" where socket == nil: socket = value
            case "--fallback-file" where fallbackFile == nil: fallbackFile = value
            default: return nil
            }
        }
        guard operands.count == 1 || operands.count == 2, let section = GetSection(rawValue: operands[0]) else {
            return nil
        }
        let key = operands.count == 2 ? operands[1] : nil
        if (socket != nil && file != nil) || (file != nil && fallbackFile != nil)
            || (section == .snapshot && key != nil)
        {
            return nil
        }
        return GetRequest(
            socket: socket, file: file, fallbackFile: fallbackFile, json: json, timeout: GetCommand.defaultTimeout,
            section: section, key: key)
    }
}
