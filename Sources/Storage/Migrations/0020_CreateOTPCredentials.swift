import SQLKit

/// Two-factor sign-in: a realm's OTP policy (JSON on the realm), users' authenticators with their secrets sealed, the
/// `CONFIGURE_TOTP` required action on a user, and each user's wrong codes of the last hour (counted whatever the
/// realm's brute-force settings).
struct CreateOTPCredentials: Migration {
    let version = 20
    let name = "CreateOTPCredentials"

    func prepare(on sql: any SQLDatabase) async throws {
        try await sql.alter(table: "realms").column("otp_policy", type: .text, .notNull, .default("")).run()
        try await sql.alter(table: "users").column("must_configure_otp", type: .boolean, .notNull, .default(false)).run()
        try await sql.create(table: "otp_credentials")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("user_id", type: .text, .notNull, .references("users", "id", onDelete: .cascade))
            .column("realm", type: .text, .notNull, .references("realms", "name", onDelete: .cascade))
            .column("label", type: .text, .notNull)
            .column("sealed_secret", type: .text, .notNull)
            .column("algorithm", type: .text, .notNull)
            .column("digits", type: .bigint, .notNull)
            .column("period", type: .bigint, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .run()
        try await sql.create(index: "otp_credentials_user").on("otp_credentials").column("user_id").run()
        try await sql.create(table: "otp_failures")
            .column("user_id", type: .text, .primaryKey(autoIncrement: false), .references("users", "id", onDelete: .cascade))
            .column("failures", type: .bigint, .notNull)
            .column("window_start", type: .bigint, .notNull)
            .run()
    }
}
