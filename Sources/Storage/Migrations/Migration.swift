import SQLKit

/// One step of the schema. Steps are applied in `version` order, each in its own transaction, and never edited
/// once released: a change is a new step.
protocol Migration: Sendable {
    var version: Int { get }
    var name: String { get }
    func prepare(on sql: any SQLDatabase) async throws
}

extension SQLDataType {
    /// BOOLEAN works on both databases (SQLite stores 0/1 under NUMERIC affinity).
    static let boolean = SQLDataType.custom(SQLRaw("BOOLEAN"))
}
