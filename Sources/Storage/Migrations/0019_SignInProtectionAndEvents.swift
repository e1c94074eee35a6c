import SQLKit

/// What Keycloak's user model adds to sign-in: a realm's brute-force detection, events and required actions (JSON
/// settings on the realm), users' counted failures, stored login events, and offline sessions (which outlive a
/// sign-out until their consent is revoked).
struct SignInProtectionAndEvents: Migration {
    let version = 19
    let name = "SignInProtectionAndEvents"

    func prepare(on sql: any SQLDatabase) async throws {
        for column in ["brute_force", "events_config", "required_actions"] {
            try await sql.alter(table: "realms").column(column, type: .text, .notNull, .default("")).run()
        }
        try await sql.create(table: "login_failures")
            .column("user_id", type: .text, .primaryKey(autoIncrement: false), .references("users", "id", onDelete: .cascade))
            .column("realm", type: .text, .notNull, .references("realms", "name", onDelete: .cascade))
            .column("num_failures", type: .bigint, .notNull)
            .column("last_failure", type: .bigint, .notNull)
            .column("previous_failure", type: .bigint)
            .column("last_ip_failure", type: .text)
            .column("locked_until", type: .bigint, .notNull, .default(0))
            .run()
        try await sql.create(index: "login_failures_realm").on("login_failures").column("realm").run()
        try await sql.create(table: "login_events")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("realm", type: .text, .notNull, .references("realms", "name", onDelete: .cascade))
            .column("time", type: .bigint, .notNull)
            .column("type", type: .text, .notNull)
            .column("client_id", type: .text)
            .column("user_id", type: .text)
            .column("session_id", type: .text)
            .column("ip_address", type: .text)
            .column("error", type: .text)
            .column("details", type: .text, .notNull)
            .run()
        try await sql.create(index: "login_events_realm_time").on("login_events").column("realm").column("time").run()
        try await sql.alter(table: "sessions").column("offline", type: .boolean, .notNull, .default(false)).run()
    }
}
