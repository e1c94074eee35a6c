import Domain
import SQLKit

/// Where the data lives: the embedded demo SQLite file or a PostgreSQL database. Everything users send runs through
/// `select`, under a boundary the database engine enforces (docs/security.md): read-only, a statement timeout, a row
/// cap from the page wrapper and a byte cap on what comes back.
public protocol Warehouse: Sendable {
    var kind: WarehouseKind { get }
    /// Tables and their columns, in name order (what domains are made of).
    func tables() async throws -> [WarehouseTable]
    /// Runs one read-only statement built by `WarehouseQuery`, returning at most its `maximumRows`; failures of the
    /// user's SQL are `WarehouseError.query`, a page over `WarehouseLimits.pageBytes` is `WarehouseError.tooLarge`.
    func select(_ statement: WarehouseStatement) async throws -> ResultSet
    /// Keeps connections alive until cancelled, then closes them.
    func run() async throws
    /// Creates and fills the demo tables unless they exist (one transaction, on a writable connection of its own).
    /// Returns whether it loaded them.
    @discardableResult func ensureDemoData() async throws -> Bool
}

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
    static func refused(_ message: String) -> WarehouseError {
        guard message.count > maximumMessage else { return .query(message) }
        return .query(String(message.prefix(maximumMessage)) + "…")
    }

    static let maximumMessage = 1_000

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
