import SQLKit

/// Realms and their signing keys (private halves sealed with the at-rest key).
struct CreateRealms: Migration {
    let version = 1
    let name = "CreateRealms"

    func prepare(on sql: any SQLDatabase) async throws {
        try await sql.create(table: "realms")
            .column("name", type: .text, .primaryKey(autoIncrement: false))
            .column("enabled", type: .boolean, .notNull)
            .column("access_token_lifespan", type: .bigint, .notNull)
            .column("refresh_token_lifespan", type: .bigint, .notNull)
            .column("signing_algorithm", type: .text, .notNull)
            .column("not_before", type: .bigint, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .run()
        try await sql.create(table: "signing_keys")
            .column("kid", type: .text, .primaryKey(autoIncrement: false))
            .column("realm", type: .text, .notNull, .references("realms", "name", onDelete: .cascade))
            .column("algorithm", type: .text, .notNull)
            .column("sealed_private_key", type: .text, .notNull)
            .column("status", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .column("retire_after", type: .bigint)
            .run()
        try await sql.create(index: "signing_keys_realm").on("signing_keys").column("realm").run()
    }
}
