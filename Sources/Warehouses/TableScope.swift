/// The tables and views one statement may read: the tables of the calling realm's domains (docs/security.md "Tenant
/// isolation"). The SQLite sandbox's authorizer holds every statement to it; on PostgreSQL the realm's own login role
/// is the engine's boundary and this scope is checked before the statement is sent.
public struct TableScope: Sendable, Equatable {
    /// Lower-cased names (SQLite's names ignore case); nil for every table of the warehouse.
    public let tables: Set<String>?
    /// The names as the domains list them (PostgreSQL's names are exact); nil for every table.
    public let exactTables: Set<String>?

    public init(tables: some Sequence<String>) {
        let names = Array(tables)
        self.tables = Set(names.map { $0.lowercased() })
        exactTables = Set(names)
    }

    private init() {
        tables = nil
        exactTables = nil
    }

    /// Every table of the warehouse: for the operator's own statements and the tests of the engine's boundary, never
    /// for SQL a realm's user wrote.
    public static let everyTable = TableScope()

    public func allows(_ table: String) -> Bool { tables?.contains(table.lowercased()) ?? true }
}

extension TableScope {
    /// Why a statement that reads `table` outside its scope is refused.
    public static func refusal(of table: String) -> String {
        "reading '\(table)' is not allowed: it belongs to none of this realm's domains"
    }
}
