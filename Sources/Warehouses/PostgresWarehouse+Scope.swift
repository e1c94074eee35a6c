import Domain
import PostgresNIO
import Synchronization

/// The relations of a database (tables, views, materialized and foreign tables, sequences), by schema, exactly as
/// PostgreSQL names them, the schemas an unqualified name is looked up in (`current_schemas(true)`: the search path
/// with `pg_catalog`), and when they were read.
struct RelationNames: Sendable {
    let bySchema: [String: Set<String>]
    let all: Set<String>
    /// The relations an unqualified name can reach: those of the search path's schemas.
    let reachable: Set<String>
    let currentSchema: String
    let readAt: ContinuousClock.Instant

    /// New relations are seen within this long: a statement naming something not in the list reads it again once
    /// it is this old (at most one catalog query per warehouse per interval).
    static let maximumAge = Duration.seconds(2)
}

extension PostgresWarehouse {
    /// Refuses a statement that names a relation outside `scope` before it runs. On PostgreSQL this is our check,
    /// made on the engine's own list of relations and with PostgreSQL's reading of identifiers (`PostgresNames`); the
    /// engine's boundary is the role the realm's warehouse URL logs in as (docs/security.md "Tenant isolation"):
    /// - an unqualified name of a relation on the search path (the catalogs included) that the realm's domains do not
    ///   list is refused; a name that is no such relation (a column, an alias, `information_schema`'s `columns`) is not;
    /// - a name qualified by another schema than the current one is refused when that schema has such a relation (the
    ///   domains list tables of the current schema only);
    /// - text the lexer cannot read is refused, never waved through.
    func checkScope(_ scope: TableScope, sql: String, on connection: PostgresConnection) async throws {
        guard let allowed = scope.exactTables else { return }
        guard let referenced = PostgresNames(statement: sql) else { throw WarehouseError.query("The query could not be read") }
        var known = try await relationNames(on: connection, fresh: false)
        if !referenced.names.isSubset(of: known.all), ContinuousClock.now - known.readAt > RelationNames.maximumAge {
            known = try await relationNames(on: connection, fresh: true)
        }
        if let refused = referenced.names.sorted().first(where: { known.reachable.contains($0) && !allowed.contains($0) }) {
            throw WarehouseError.query(TableScope.refusal(of: refused))
        }
        let elsewhere = referenced.qualified.first { reference in
            guard let relations = known.bySchema[reference.qualifier], relations.contains(reference.name) else { return false }
            return reference.qualifier != known.currentSchema || !allowed.contains(reference.name)
        }
        if let elsewhere { throw WarehouseError.query(TableScope.refusal(of: "\(elsewhere.qualifier).\(elsewhere.name)")) }
    }

    private func relationNames(on connection: PostgresConnection, fresh: Bool) async throws -> RelationNames {
        if !fresh, let cached = relations.withLock({ $0 }) { return cached }
        let rows = try await connection.query(
            """
            SELECT n.nspname, c.relname, n.nspname = ANY (current_schemas(true)), n.nspname = current_schema()
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'v', 'm', 'f', 'p', 'S')
            """, logger: logger
        ).collect()
        var bySchema: [String: Set<String>] = [:]
        var reachable: Set<String> = []
        var current = "public"
        for row in rows {
            let (schema, name, onPath, isCurrent) = try row.decode((String, String, Bool, Bool).self)
            bySchema[schema, default: []].insert(name)
            if onPath { reachable.insert(name) }
            if isCurrent { current = schema }
        }
        let loaded = RelationNames(
            bySchema: bySchema, all: bySchema.values.reduce(into: []) { $0.formUnion($1) }, reachable: reachable, currentSchema: current, readAt: .now)
        relations.withLock { $0 = loaded }
        return loaded
    }
}
