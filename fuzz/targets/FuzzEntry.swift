#if canImport(Glibc)
    import Glibc
#endif

/// libFuzzer's entry point. One binary holds every target (they share the compiled core);
/// `PODMETA_FUZZ_TARGET` picks the one this process runs.
@_cdecl("LLVMFuzzerTestOneInput")
public func podmetaFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzTarget.selected.run(bytes)
    return 0
}

/// The fuzz targets: each feeds outside bytes to one parser and checks what is cheap to
/// check besides "no crash" (round trips, canonical forms re-parsing to the same value).
enum FuzzTarget: String, CaseIterable {
    case goliteral
    case mapfile
    case quantity
    case json
    case template
    case config
    case http

    static let selected: FuzzTarget = {
        guard let raw = getenv("PODMETA_FUZZ_TARGET"), let target = FuzzTarget(rawValue: String(cString: raw)) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            fatalError("set PODMETA_FUZZ_TARGET to one of: \(names)")
        }
        return target
    }()

    func run(_ bytes: [UInt8]) {
        switch self {
        case .goliteral: FuzzGoLiteral.run(bytes)
        case .mapfile: FuzzMapFile.run(bytes)
        case .quantity: FuzzQuantity.run(bytes)
        case .json: FuzzJSON.run(bytes)
        case .template: FuzzTemplate.run(bytes)
        case .config: FuzzConfig.run(bytes)
        case .http: FuzzHTTPRequest.run(bytes)
        }
    }
}

/// Stops the process with a message libFuzzer reports as a crash, saving the input.
func fuzzCheck(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError(message()) }
}
