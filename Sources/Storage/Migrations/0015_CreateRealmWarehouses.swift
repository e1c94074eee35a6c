import SQLKit

/// A realm's own warehouse: its URL (with the password of a role that reads only that realm's tables) sealed with the
/// at-rest key. Realms without a row read the server's warehouse (docs/security.md "Tenant isolation").
struct CreateRealmWarehouses: Migration {
    let version = 15
    let name = "CreateRealmWarehouses"

    func prepare(on sql: any SQLDatabase) async throws {
        try await sql.create(table: "realm_warehouses")
            .column("realm", type: .text, .primaryKey(autoIncrement: false), .references("realms", "name", onDelete: .cascade))
            .column("url_sealed", type: .text, .notNull)
            .column("updated_at", type: .bigint, .notNull)
            .run()
    }
}
