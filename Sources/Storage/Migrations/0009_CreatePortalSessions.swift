import SQLKit

/// Portal browser sessions, by SHA-256 of the cookie value, so any node can serve any user.
struct CreatePortalSessions: Migration {
    let version = 9
    let name = "CreatePortalSessions"

    func prepare(on sql: any SQLDatabase) async throws {
        try await sql.create(table: "portal_sessions")
            .column("id_hash", type: .text, .primaryKey(autoIncrement: false))
            .column("realm", type: .text, .notNull, .references("realms", "name", onDelete: .cascade))
            .column("user_id", type: .text, .notNull)
            .column("realm_session_id", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .column("expires_at", type: .bigint, .notNull)
            .run()
    }
}
