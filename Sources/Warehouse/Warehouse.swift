import SQLKit

/// Where the data lives: the embedded demo SQLite file or a PostgreSQL database. Everything users send runs on a
/// read-only connection, through `select`, with a row cap and (on PostgreSQL) a statement timeout.
public protocol Warehouse: Sendable {
    var kind: WarehouseKind { get }
    /// Tables and their columns, in name order (what domains are made of).
    func tables() async throws -> [WarehouseTable]
    /// Runs one read-only statement built by `WarehouseQuery`; failures of the user's SQL are `WarehouseError.query`.
    func select(_ statement: any SQLExpression) async throws -> ResultSet
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

/// Rows of a result, column names in select order.
public struct ResultSet: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[Cell]]

    public init(columns: [String], rows: [[Cell]]) {
        self.columns = columns
        self.rows = rows
    }
}

/// One value of a result row, as it goes into JSON.
public enum Cell: Sendable, Equatable {
    case null
    case integer(Int)
    case real(Double)
    case text(String)
    case boolean(Bool)

    /// The value as a CSV field would show it (before quoting).
    public var plainText: String {
        switch self {
        case .null: ""
        case .integer(let value): String(value)
        case .real(let value): String(value)
        case .text(let value): value
        case .boolean(let value): value ? "true" : "false"
        }
    }
}

public enum WarehouseError: Error, Equatable, CustomStringConvertible {
    /// The database refused the user's SQL (syntax, unknown column, type mismatch, timeout); the message is the database's.
    case query(String)
    /// The warehouse cannot be reached.
    case unavailable

    public var description: String {
        switch self {
        case .query(let message): message
        case .unavailable: "the warehouse cannot be reached"
        }
    }
}
