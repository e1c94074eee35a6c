import SQLKit

/// Which realms read a warehouse of their own, by its sealed URL.
public struct RealmWarehouseStore: Sendable {
    let sql: any SQLDatabase

    public init(_ sql: any SQLDatabase) { self.sql = sql }

    public func sealedURL(realm: String) async throws -> String? {
        try await sql.select().column("url_sealed").from("realm_warehouses").where("realm", .equal, realm)
            .first(decodingColumn: "url_sealed", as: String.self)
    }

    /// Sets or replaces the realm's warehouse.
    public func set(realm: String, sealedURL: String, at now: Int) async throws {
        try await remove(realm: realm)
        try await sql.insert(into: "realm_warehouses").columns("realm", "url_sealed", "updated_at")
            .values(SQLBind(realm), SQLBind(sealedURL), SQLBind(now)).run()
    }

    /// The realm reads the server's warehouse again.
    public func remove(realm: String) async throws {
        try await sql.delete(from: "realm_warehouses").where("realm", .equal, realm).run()
    }
}
