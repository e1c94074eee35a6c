import Foundation

/// When a time policy grants (Keycloak's time policy), in UTC: between two instants, and within the given spans of
/// the day of month, month, year, hour and minute. Each span is a single value or `start…end`, both ends included.
public struct TimeWindow: Sendable, Equatable, Codable {
    public struct Span: Sendable, Equatable, Codable {
        public var start: Int
        public var end: Int?

        func contains(_ value: Int) -> Bool { end.map { start <= value && value <= $0 } ?? (value == start) }
    }

    /// Epoch seconds.
    public var notBefore: Int?
    public var notOnOrAfter: Int?
    public var dayOfMonth: Span?
    public var month: Span?
    public var year: Span?
    public var hour: Span?
    public var minute: Span?

    /// Whether `epoch` (seconds) lies inside every condition.
    public func contains(epoch: Int) -> Bool {
        if let notBefore, epoch < notBefore { return false }
        if let notOnOrAfter, epoch >= notOnOrAfter { return false }
        let parts = Self.calendar.dateComponents([.day, .month, .year, .hour, .minute], from: Date(timeIntervalSince1970: TimeInterval(epoch)))
        let checks: [(Span?, Int?)] = [(dayOfMonth, parts.day), (month, parts.month), (year, parts.year), (hour, parts.hour), (minute, parts.minute)]
        return checks.allSatisfy { span, value in span.map { value.map($0.contains) ?? false } ?? true }
    }

    /// Keycloak's field names, as its typed representation spells them (`notBefore`, `hour`, `hourEnd`, …).
    public static let fieldNames = [
        "notBefore", "notOnOrAfter", "dayMonth", "dayMonthEnd", "month", "monthEnd", "year", "yearEnd", "hour", "hourEnd", "minute", "minuteEnd",
    ]

    /// The window that Keycloak's fields describe (`"2026-01-01 00:00:00"` for the instants, numbers as text for the
    /// rest). At least one condition; every number within its range, no end before its start.
    public init(fields: [String: String]) throws(ValueError) {
        notBefore = try Self.instant(fields["notBefore"], field: "notBefore")
        notOnOrAfter = try Self.instant(fields["notOnOrAfter"], field: "notOnOrAfter")
        dayOfMonth = try Self.span(fields, "dayMonth", 1...31)
        month = try Self.span(fields, "month", 1...12)
        year = try Self.span(fields, "year", 1970...9999)
        hour = try Self.span(fields, "hour", 0...23)
        minute = try Self.span(fields, "minute", 0...59)
        guard notBefore != nil || notOnOrAfter != nil || dayOfMonth != nil || month != nil || year != nil || hour != nil || minute != nil else {
            throw ValueError(field: "config", message: "A time policy needs at least one condition", rule: .missing)
        }
    }

    /// The window in Keycloak's fields, as `init(fields:)` reads them.
    public var fields: [String: String] {
        var fields: [String: String] = [:]
        if let notBefore { fields["notBefore"] = Self.text(notBefore) }
        if let notOnOrAfter { fields["notOnOrAfter"] = Self.text(notOnOrAfter) }
        for (name, span) in [("dayMonth", dayOfMonth), ("month", month), ("year", year), ("hour", hour), ("minute", minute)] {
            guard let span else { continue }
            fields[name] = String(span.start)
            if let end = span.end { fields[name + "End"] = String(end) }
        }
        return fields
    }

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    private static func span(_ fields: [String: String], _ name: String, _ range: ClosedRange<Int>) throws(ValueError) -> Span? {
        let start = try number(fields[name], field: name, range)
        let end = try number(fields[name + "End"], field: name + "End", range)
        guard let start else {
            if end != nil { throw ValueError(field: name + "End", message: "\(name)End needs \(name)", rule: .missing) }
            return nil
        }
        if let end, end < start { throw ValueError(field: name + "End", message: "\(name)End is before \(name)", rule: .range) }
        return Span(start: start, end: end)
    }

    private static func number(_ text: String?, field: String, _ range: ClosedRange<Int>) throws(ValueError) -> Int? {
        guard let text, !text.isEmpty else { return nil }
        guard text.utf8.count <= 4, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let value = Int(text), range.contains(value) else {
            throw ValueError(field: field, message: "\(field) must be a whole number from \(range.lowerBound) to \(range.upperBound)", rule: .range)
        }
        return value
    }

    /// `yyyy-MM-dd HH:mm:ss`, UTC.
    private static func instant(_ text: String?, field: String) throws(ValueError) -> Int? {
        guard let text, !text.isEmpty else { return nil }
        let invalid = ValueError(field: field, message: "\(field) must read yyyy-MM-dd HH:mm:ss", rule: .pattern)
        guard let match = text.wholeMatch(of: /([0-9]{4})-([0-9]{2})-([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2})/) else { throw invalid }
        let parts = DateComponents(
            year: Int(match.1), month: Int(match.2), day: Int(match.3), hour: Int(match.4), minute: Int(match.5), second: Int(match.6))
        guard parts.isValidDate(in: calendar), let date = calendar.date(from: parts) else { throw invalid }
        return Int(date.timeIntervalSince1970)
    }

    private static func text(_ epoch: Int) -> String {
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: TimeInterval(epoch)))
        func two(_ value: Int?) -> String { let v = value ?? 0; return v < 10 ? "0\(v)" : String(v) }
        return "\(p.year ?? 0)-\(two(p.month))-\(two(p.day)) \(two(p.hour)):\(two(p.minute)):\(two(p.second))"
    }
}
