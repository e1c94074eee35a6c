import SQLKit

/// A realm's password policy (Keycloak's text; empty for none) and the hashes of users' earlier passwords, kept only
/// as deep as a `passwordHistory` rule asks.
struct PasswordPolicyAndHistory: Migration {
    let version = 18
    let name = "PasswordPolicyAndHistory"

    func prepare(on sql: any SQLDatabase) async throws {
        try await sql.alter(table: "realms").column("password_policy", type: .text, .notNull, .default("")).run()
        try await sql.create(table: "password_history")
            .column("user_id", type: .text, .notNull, .references("users", "id", onDelete: .cascade))
            .column("password_hash", type: .text, .notNull)
            .column("replaced_at", type: .bigint, .notNull)
            .run()
        try await sql.create(index: "password_history_user").on("password_history").column("user_id").column("replaced_at").run()
    }
}
