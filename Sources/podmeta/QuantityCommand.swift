import ArgumentParser
import PodmetaCore
import PodmetaSettings
import PodmetaSystem

/// `podmeta quantity`: parse, canonicalize and convert Kubernetes quantities.
struct QuantityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantity",
        abstract: "Parse Kubernetes quantities exactly as the API server does, and convert them.",
        discussion: """
            Prints the canonical form (what `kubectl get -o yaml` shows), the exact value, \
            Value() and MilliValue() (both rounded up, as Kubernetes does) and the format.

            With --resource, adds the units people think in: cores and millicores for cpu, \
            bytes, MiB and GiB for memory and storage. With --divisor, adds the integer the \
            kubelet writes into a downward API file for that divisor; with --from-file, \
            VALUE is such an integer and is converted back to a quantity.

            Examples:
              podmeta quantity 1.5Gi 500m 1e3
              podmeta quantity --resource memory --divisor 1Mi 100M      # file holds 96
              podmeta quantity --resource cpu --divisor 1m --from-file 250
              podmeta quantity --json 128Mi | jq .canonical
            """
    )

    @Flag(name: .long, help: "Print one JSON object per value.")
    var json = false

    @Option(name: .long, help: "The resource the value belongs to.", transform: ResourceArgument.parse)
    var resource: ResourceArgument?

    @Option(
        name: .long, help: "A downward API divisor (cpu: 1m or 1; others: 1, 1k..1E, 1Ki..1Ei).",
        transform: QuantityArgument.parse)
    var divisor: QuantityArgument?

    @Flag(name: .long, help: "VALUE is the integer of a downward API file; convert it back with --divisor.")
    var fromFile = false

    @Argument(help: "Quantities such as 500m, 128Mi, 1.5, 2e3.")
    var values: [String]

    func validate() throws {
        if values.isEmpty { throw ValidationError("Give at least one VALUE.") }
        if divisor != nil && resource == nil {
            throw ValidationError("--divisor needs --resource: the valid divisors depend on it.")
        }
        if fromFile && divisor == nil { throw ValidationError("--from-file needs --divisor.") }
        if let divisor, let resource,
            let problem = ResourceDivisor.validationProblem(divisor.quantity, for: resource.resource)
        {
            throw ValidationError("--divisor: \(problem).")
        }
    }

    func run() throws {
        let divisorQuantity = divisor?.quantity
        var failures = 0
        for input in values {
            do {
                let quantity: Quantity
                var fileValue: Int64?
                if fromFile, let divisorQuantity {
                    guard let integer = Int64(input) else {
                        throw CLIError.badData("\"\(input)\" is not a downward API file value (a decimal integer)")
                    }
                    quantity = DownwardAPIResource.quantity(fileValue: integer, divisor: divisorQuantity)
                } else {
                    quantity = try Quantity(parsing: input)
                    if let divisorQuantity, let resource {
                        fileValue = resource.resource.fileValue(of: quantity, divisor: divisorQuantity)
                    }
                }
                let report = QuantityReport(
                    input: input, quantity: quantity, resource: resource?.resource.name, fileValue: fileValue)
                if json {
                    StandardOutput.write(JSONRenderer(style: .compact).render(report.json) + [0x0A])
                } else {
                    StandardOutput.write(report.text + "\n")
                }
                if let warning = report.warning { StandardError.warn(warning) }
            } catch {
                failures += 1
                StandardError.write("podmeta: \(error)")
            }
        }
        if failures > 0 {
            throw CLIError.badData("\(failures) of \(values.count) values could not be read")
        }
    }
}

/// What `podmeta quantity` prints about one value.
struct QuantityReport {
    var input: String
    var quantity: Quantity
    var resource: String?
    var fileValue: Int64?

    var json: JSONValue {
        var members: [String: JSONValue] = [
            "input": .string(input),
            "canonical": .string(quantity.canonical),
            "exact": .string(quantity.exact),
            "value": quantity.value.map(JSONValue.int) ?? .null,
            "milli": quantity.milliValue.map(JSONValue.int) ?? .null,
            "format": .string(quantity.format.rawValue),
        ]
        if let resource {
            members["resource"] = .string(resource)
            if resource == "cpu" {
                members["cores"] = .double(quantity.doubleValue)
                members["millicores"] = quantity.milliValue.map(JSONValue.int) ?? .null
            } else {
                members["bytes"] = quantity.value.map(JSONValue.int) ?? .null
                members["mebibytes"] = .double(quantity.doubleValue / 1_048_576)
                members["gibibytes"] = .double(quantity.doubleValue / 1_073_741_824)
            }
        }
        if let fileValue { members["fileValue"] = .int(fileValue) }
        return .object(members)
    }

    var text: String {
        var line = "\(input)\tcanonical=\(quantity.canonical) exact=\(quantity.exact)"
        line += " value=\(quantity.value.map(String.init) ?? "out-of-range")"
        line += " milli=\(quantity.milliValue.map(String.init) ?? "out-of-range") format=\(quantity.format.rawValue)"
        if let resource {
            if resource == "cpu" {
                line += " cores=\(JSONRenderer.format(quantity.doubleValue))"
                line += " millicores=\(quantity.milliValue.map(String.init) ?? "out-of-range")"
            } else {
                line += " bytes=\(quantity.value.map(String.init) ?? "out-of-range")"
                line += " MiB=\(JSONRenderer.format(quantity.doubleValue / 1_048_576))"
                line += " GiB=\(JSONRenderer.format(quantity.doubleValue / 1_073_741_824))"
            }
        }
        if let fileValue { line += " file=\(fileValue)" }
        return line
    }

    /// `128m` of memory is 0.128 bytes: almost always a typo for `128M` or `128Mi`.
    var warning: String? {
        guard let resource, resource != "cpu", input.hasSuffix("m") else { return nil }
        return
            "\"\(input)\" is milli-units: \(quantity.exact) bytes of \(resource); did you mean \(input.dropLast())M or \(input.dropLast())Mi?"
    }
}
