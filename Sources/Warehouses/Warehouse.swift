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
