import NIOCore
import PostgresNIO

/// PostgreSQL's binary `numeric`, `date` and `timestamp` read straight from the wire: going through Foundation's
/// `Decimal` and date formatting cost a third of a data page's time (measured with perf).
enum PostgresValues {
    /// `numeric`: ndigits, weight, sign, dscale (Int16 each), then base-10,000 digits. Exact whenever the digits fit in
    /// 2^53 and the scale in 10^22 (one correctly rounded division); otherwise through the decimal text.
    static func double(numeric buffer: ByteBuffer) -> Double? {
        var buffer = buffer
        guard let count = buffer.readInteger(endianness: .big, as: Int16.self),
            let weight = buffer.readInteger(endianness: .big, as: Int16.self),
            let sign = buffer.readInteger(endianness: .big, as: UInt16.self),
            buffer.readInteger(endianness: .big, as: Int16.self) != nil, count >= 0
        else { return nil }
        if sign == 0xC000 { return .nan }
        var digits: [Int64] = []
        digits.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let digit = buffer.readInteger(endianness: .big, as: Int16.self) else { return nil }
            digits.append(Int64(digit))
        }
        let negative = sign == 0x4000
        guard !digits.isEmpty else { return 0 }
        // value = Σ digits[i] · 10000^(weight − i) = mantissa · 10^(4 · (weight − count + 1))
        let exponent = 4 * (Int(weight) - digits.count + 1)
        if digits.count <= 4 {
            let mantissa = digits.reduce(Int64(0)) { $0 * 10_000 + $1 }
            if mantissa < 1 << 53 && exponent <= 0 && exponent >= -22 {
                let value = Double(mantissa) / powersOfTen[-exponent]
                return negative ? -value : value
            }
        }
        var text = negative ? "-" : ""
        for (index, digit) in digits.enumerated() {
            let group = String(digit)
            text += index == 0 ? group : String(repeating: "0", count: 4 - group.count) + group
        }
        return Double(text + "e\(exponent)")
    }

    private static let powersOfTen: [Double] = (0...22).map { exponent in (0..<exponent).reduce(1.0) { value, _ in value * 10 } }

    /// `date`: days since 2000-01-01 as `YYYY-MM-DD`.
    static func text(date buffer: ByteBuffer) -> String? {
        var buffer = buffer
        guard let days = buffer.readInteger(endianness: .big, as: Int32.self) else { return nil }
        return civil(days: Int(days) + 10_957)
    }

    /// `timestamp`/`timestamptz`: microseconds since 2000-01-01T00:00:00Z as ISO 8601 in UTC (whole seconds).
    static func text(timestamp buffer: ByteBuffer) -> String? {
        var buffer = buffer
        guard let micros = buffer.readInteger(endianness: .big, as: Int64.self) else { return nil }
        let seconds = Int(micros.dividedRoundingDown(by: 1_000_000)) + 946_684_800
        let (days, second) = (seconds.dividedRoundingDown(by: 86_400), seconds - seconds.dividedRoundingDown(by: 86_400) * 86_400)
        return civil(days: days) + "T" + twoDigits(second / 3600) + ":" + twoDigits(second / 60 % 60) + ":" + twoDigits(second % 60) + "Z"
    }

    /// Days since 1970-01-01 → `YYYY-MM-DD` (proleptic Gregorian; H. Hinnant's `civil_from_days`).
    static func civil(days: Int) -> String {
        let z = days + 719_468
        let era = z.dividedRoundingDown(by: 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let yearText = String(year)
        return String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText + "-" + twoDigits(month) + "-" + twoDigits(day)
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0" + String(value) : String(value) }
}

extension BinaryInteger {
    /// Floor division (Swift's `/` truncates toward zero).
    func dividedRoundingDown(by divisor: Self) -> Self {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
