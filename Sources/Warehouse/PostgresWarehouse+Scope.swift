import PostgresNIO
import Synchronization

/// The names of a database's relations (tables, views, materialized and foreign tables, in every schema, the
/// system catalogs included), lower-cased, and when they were read.
struct RelationNames: Sendable {
    let names: Set<String>
    let readAt: ContinuousClock.Instant

    /// New relations are seen within this long.
    static let maximumAge = Duration.seconds(10)
}

extension PostgresWarehouse {
    /// Refuses a statement that names a relation outside `scope` before it is sent. On PostgreSQL this is our check,
    /// made on the engine's own list of relations; the engine's boundary is the role the realm's warehouse URL logs
    /// in as (docs/security.md "Tenant isolation"). Text the lexer cannot read is refused, never waved through.
    func checkScope(_ scope: TableScope, sql: String, on connection: PostgresConnection) async throws {
        guard let allowed = scope.tables else { return }
        guard let named = ReadOnlySQL.names(inStatement: sql, dialect: .postgres) else {
            throw WarehouseError.query("The query could not be read")
        }
        var known = try await relationNames(on: connection, fresh: false)
        if !named.isSubset(of: known.names), ContinuousClock.now - known.readAt > RelationNames.maximumAge {
            known = try await relationNames(on: connection, fresh: true)
        }
        if let refused = named.sorted().first(where: { known.names.contains($0) && !allowed.contains($0) }) {
            throw WarehouseError.query(TableScope.refusal(of: refused))
        }
    }

    private func relationNames(on connection: PostgresConnection, fresh: Bool) async throws -> RelationNames {
        if !fresh, let cached = relations.withLock({ $0 }) { return cached }
        let rows = try await connection.query(
            "SELECT DISTINCT lower(relname) FROM pg_class WHERE relkind IN ('r', 'v', 'm', 'f', 'p')", logger: logger
        ).collect()
        let loaded = RelationNames(names: Set(try rows.map { try $0.decode(String.self) }), readAt: .now)
        relations.withLock { $0 = loaded }
        return loaded
    }
}
