import SQLKit

/// Login sessions (password and authorization-code grants), one-time authorization codes, and revoked access
/// tokens remembered by `jti` until they expire.
struct CreateSessions: Migration {
    let version = 4
    let name = "CreateSessions"

    func prepare(on sql: any SQLDatabase) async throws {
        try await sql.create(table: "sessions")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("realm", type: .text, .notNull, .references("realms", "name", onDelete: .cascade))
            .column("user_id", type: .text, .notNull, .references("users", "id", onDelete: .cascade))
            .column("client_id", type: .text, .notNull)
            .column("scope", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .column("expires_at", type: .bigint, .notNull)
            .column("refresh_id", type: .text, .notNull)
            .run()
        try await sql.create(table: "authorization_codes")
            .column("code_hash", type: .text, .primaryKey(autoIncrement: false))
            .column("realm", type: .text, .notNull, .references("realms", "name", onDelete: .cascade))
            .column("client_id", type: .text, .notNull)
            .column("session_id", type: .text, .notNull, .references("sessions", "id", onDelete: .cascade))
            .column("redirect_uri", type: .text, .notNull)
            .column("code_challenge", type: .text)
            .column("code_challenge_method", type: .text)
            .column("nonce", type: .text)
            .column("scope", type: .text, .notNull)
            .column("expires_at", type: .bigint, .notNull)
            .run()
        try await sql.create(table: "revoked_tokens")
            .column("jti", type: .text, .primaryKey(autoIncrement: false))
            .column("realm", type: .text, .notNull)
            .column("expires_at", type: .bigint, .notNull)
            .run()
    }
}
