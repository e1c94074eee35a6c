import Foundation

/// Times in API bodies: ISO 8601 in UTC, as FastAPI serialises datetimes.
public enum Timestamp {
    public static func iso(_ epoch: Int) -> String {
        Date(timeIntervalSince1970: TimeInterval(epoch)).formatted(.iso8601)
    }
}
