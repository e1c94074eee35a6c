/// What front ends and use cases know of a warehouse: its kind, its tables, how it refuses, and its bounds.
public enum WarehouseKind: String, Sendable {
    case sqlite
    case postgres
}

public struct WarehouseTable: Sendable, Equatable, Codable {
    public var name: String
    public var columns: [WarehouseColumn]

    public init(name: String, columns: [WarehouseColumn]) {
        self.name = name
        self.columns = columns
    }
}

public struct WarehouseColumn: Sendable, Equatable, Codable {
    public var name: String
    /// The declared type as the warehouse reports it, lower-cased (`integer`, `numeric`, `text`, `date`, …).
    public var type: String

    public init(name: String, type: String) {
        self.name = name
        self.type = type
    }
}

public enum WarehouseError: Error, Equatable, CustomStringConvertible {
    /// The database refused the user's SQL (syntax, unknown column, type mismatch, timeout, not allowed); the message
    /// says why.
    case query(String)
    /// The rows of one page hold more than `limit` bytes.
    case tooLarge(limit: Int)
    /// The warehouse cannot be reached.
    case unavailable

    /// The database's refusal, cut to `maximumMessage` characters: a message can quote a value of the user's
    /// making (`invalid input syntax for type integer: "<50 MB>"`), and it is answered and stored with the query.
    public static func refused(_ message: String) -> WarehouseError {
        guard message.count > maximumMessage else { return .query(message) }
        return .query(String(message.prefix(maximumMessage)) + "…")
    }

    public static let maximumMessage = 1_000

    public var description: String {
        switch self {
        case .query(let message): message
        case .tooLarge(let limit): "The page holds more than \(limit >> 20) MiB; ask for fewer rows (limit) or smaller values"
        case .unavailable: "the warehouse cannot be reached"
        }
    }
}

/// The bounds every statement of user SQL runs under, on either warehouse (docs/security.md).
public enum WarehouseLimits {
    /// How long one statement may run.
    public static let statementTimeout = Duration.seconds(5)
    /// How many bytes of values one page may hold (and one value, on SQLite).
    public static let pageBytes = 8 << 20
}
