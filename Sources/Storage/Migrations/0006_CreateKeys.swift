import SQLKit

/// Pre-shared keys: metadata in `psks`; each live secret is a row in `psk_secrets`, stored by SHA-256 only, so a
/// regenerate with a grace period can keep the old secret for a while. Plus the audit trail.
struct CreateKeys: Migration {
    let version = 6
    let name = "CreateKeys"

    func prepare(on sql: any SQLDatabase) async throws {
        try await sql.create(table: "psks")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("realm", type: .text, .notNull, .references("realms", "name", onDelete: .cascade))
            .column("kind", type: .text, .notNull)
            .column("user_id", type: .text, .notNull, .references("users", "id", onDelete: .cascade))
            .column("data_product_id", type: .text)
            .column("description", type: .text, .notNull)
            .column("hint", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .column("updated_at", type: .bigint, .notNull)
            .column("expires_at", type: .bigint)
            .column("is_active", type: .boolean, .notNull)
            .column("is_deleted", type: .boolean, .notNull)
            .column("deleted_at", type: .bigint)
            .column("last_used_at", type: .bigint)
            .column("last_used_ip", type: .text)
            .run()
        try await sql.create(index: "psks_user").on("psks").column("user_id").run()
        try await sql.create(index: "psks_realm").on("psks").column("realm").run()
        try await sql.create(table: "psk_secrets")
            .column("hash", type: .text, .primaryKey(autoIncrement: false))
            .column("psk_id", type: .text, .notNull, .references("psks", "id", onDelete: .cascade))
            .column("retire_at", type: .bigint)
            .column("created_at", type: .bigint, .notNull)
            .run()
        try await sql.create(index: "psk_secrets_psk").on("psk_secrets").column("psk_id").run()
        try await sql.create(table: "audit_events")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("realm", type: .text, .notNull)
            .column("at", type: .bigint, .notNull)
            .column("actor_id", type: .text)
            .column("action", type: .text, .notNull)
            .column("key_id", type: .text)
            .column("hint", type: .text)
            .column("address", type: .text)
            .column("detail", type: .text, .notNull)
            .run()
        try await sql.create(index: "audit_events_realm_at").on("audit_events").column("realm").column("at").run()
    }
}
