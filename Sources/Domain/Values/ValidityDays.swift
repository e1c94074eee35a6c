/// How many days a key lives, or is extended by: 1 to 3,650 (ten years).
public struct ValidityDays: Sendable, Hashable {
    public static let range = 1...3_650
    public let days: Int

    public init(_ raw: Int?, field: String = "validity_days") throws(ValueError) {
        guard let raw else { throw ValueError(field: field, message: "Field required", rule: .missing) }
        guard Self.range.contains(raw) else {
            throw ValueError(field: field, message: "Between \(Self.range.lowerBound) and \(Self.range.upperBound) days", rule: .range)
        }
        days = raw
    }

    public var seconds: Int { days * 86_400 }
}

/// How long the previous secret of a regenerated key keeps working: 0 (not at all) to 7 days.
public struct GraceSeconds: Sendable, Hashable {
    public static let range = 0...604_800
    public let seconds: Int

    public init(_ raw: Int?, field: String = "grace_seconds") throws(ValueError) {
        let value = raw ?? 0
        guard Self.range.contains(value) else {
            throw ValueError(field: field, message: "Between 0 and \(Self.range.upperBound) seconds (7 days)", rule: .range)
        }
        seconds = value
    }
}
