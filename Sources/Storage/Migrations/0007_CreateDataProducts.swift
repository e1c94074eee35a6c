import SQLKit

/// Data products (NexusOne "views"): named, role-guarded result sets that data-product keys may read.
struct CreateDataProducts: Migration {
    let version = 7
    let name = "CreateDataProducts"

    func prepare(on sql: any SQLDatabase) async throws {
        try await sql.create(table: "data_products")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("realm", type: .text, .notNull, .references("realms", "name", onDelete: .cascade))
            .column("name", type: .text, .notNull)
            .column("role_name", type: .text, .notNull)
            .column("domain_urn", type: .text, .notNull)
            .column("query", type: .text, .notNull)
            .column("query_id", type: .text)
            .column("created_by", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .column("is_deleted", type: .boolean, .notNull)
            .column("deleted_at", type: .bigint)
            .run()
        // Names are unique among live products of a realm; deleted ones keep theirs for the record.
        try await sql.create(index: "data_products_realm_name").on("data_products").column("realm").column("name").run()
    }
}
