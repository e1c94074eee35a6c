import SQLKit

/// Keycloak's user attributes (a JSON object of string lists, kept as given) and when the password was set (what
/// Keycloak's credential list shows as `createdDate`), so imported users keep both.
struct UserAttributesAndPasswordDates: Migration {
    let version = 14
    let name = "UserAttributesAndPasswordDates"

    func prepare(on sql: any SQLDatabase) async throws {
        try await sql.alter(table: "users").column("attributes", type: .text).run()
        try await sql.alter(table: "users").column("password_set_at", type: .bigint).run()
        try await sql.raw("UPDATE users SET password_set_at = created_at WHERE password_hash IS NOT NULL").run()
    }
}
