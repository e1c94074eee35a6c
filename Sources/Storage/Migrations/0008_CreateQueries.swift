import SQLKit

/// Domains over warehouse tables, the suggestions derived from them, and saved queries.
struct CreateQueries: Migration {
    let version = 8
    let name = "CreateQueries"

    func prepare(on sql: any SQLDatabase) async throws {
        try await sql.create(table: "domains")
            .column("realm", type: .text, .notNull, .references("realms", "name", onDelete: .cascade))
            .column("name", type: .text, .notNull)
            .column("description", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .run()
        try await sql.create(index: "domains_realm_name").unique().on("domains").column("realm").column("name").run()
        try await sql.create(table: "domain_tables")
            .column("realm", type: .text, .notNull)
            .column("domain", type: .text, .notNull)
            .column("table_name", type: .text, .notNull)
            .column("position", type: .int, .notNull)
            .run()
        try await sql.create(index: "domain_tables_domain").on("domain_tables").column("realm").column("domain").run()
        try await sql.create(table: "suggestions")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("realm", type: .text, .notNull, .references("realms", "name", onDelete: .cascade))
            .column("domain", type: .text, .notNull)
            .column("prompt", type: .text, .notNull)
            .column("query", type: .text, .notNull)
            .column("position", type: .int, .notNull)
            .run()
        try await sql.create(index: "suggestions_domain").on("suggestions").column("realm").column("domain").run()
        try await sql.create(table: "queries")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("realm", type: .text, .notNull, .references("realms", "name", onDelete: .cascade))
            .column("owner_id", type: .text, .notNull)
            .column("suggestion_id", type: .text)
            .column("domain", type: .text, .notNull)
            .column("prompt", type: .text, .notNull)
            .column("query", type: .text, .notNull)
            .column("error", type: .text)
            .column("created_at", type: .bigint, .notNull)
            .run()
        try await sql.create(index: "queries_owner").on("queries").column("realm").column("owner_id").column("created_at").run()
    }
}
