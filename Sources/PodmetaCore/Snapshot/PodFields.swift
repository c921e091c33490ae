/// The `pod` section of a snapshot: identity and placement of the pod. Absent fields are nil
/// and are omitted from every rendering.
public struct PodFields: Sendable, Hashable {
    public var name: String?
    public var namespace: String?
    public var uid: String?
    public var nodeName: String?
    public var serviceAccountName: String?
    public var ip: String?
    public var ips: [String]?
    public var hostIP: String?
    public var hostIPs: [String]?

    public init() {}

    /// Sets the field that `field` names; map fields and single keys are not pod fields and
    /// are ignored here.
    mutating func set(_ field: PodField, to value: String) {
        switch field {
        case .name: name = value
        case .namespace: namespace = value
        case .uid: uid = value
        case .nodeName: nodeName = value
        case .serviceAccountName: serviceAccountName = value
        case .podIP: ip = value
        case .podIPs: ips = PodFields.splitList(value)
        case .hostIP: hostIP = value
        case .hostIPs: hostIPs = PodFields.splitList(value)
        case .labels, .annotations, .label, .annotation: break
        }
    }

    /// The kubelet joins `status.podIPs` with commas, primary family first.
    static func splitList(_ value: String) -> [String] {
        value.split(separator: ",").map { String($0).trimmingASCIISpaces() }.filter { !$0.isEmpty }
    }

    var jsonValue: JSONValue {
        var members: [String: JSONValue] = [:]
        let scalars: [(String, String?)] = [
            ("name", name), ("namespace", namespace), ("uid", uid), ("nodeName", nodeName),
            ("serviceAccountName", serviceAccountName), ("ip", ip), ("hostIP", hostIP),
        ]
        for (key, value) in scalars { if let value { members[key] = .string(value) } }
        if let ips { members["ips"] = .array(ips.map(JSONValue.string)) }
        if let hostIPs { members["hostIPs"] = .array(hostIPs.map(JSONValue.string)) }
        return .object(members)
    }

    init(json: JSONValue) {
        name = json["name"]?.stringValue
        namespace = json["namespace"]?.stringValue
        uid = json["uid"]?.stringValue
        nodeName = json["nodeName"]?.stringValue
        serviceAccountName = json["serviceAccountName"]?.stringValue
        ip = json["ip"]?.stringValue
        hostIP = json["hostIP"]?.stringValue
        ips = json["ips"]?.arrayValue?.compactMap(\.stringValue)
        hostIPs = json["hostIPs"]?.arrayValue?.compactMap(\.stringValue)
    }
}

extension String {
    func trimmingASCIISpaces() -> String {
        var view = Substring(self)
        while let first = view.first, first == " " || first == "\t" { view = view.dropFirst() }
        while let last = view.last, last == " " || last == "\t" { view = view.dropLast() }
        return String(view)
    }
}
