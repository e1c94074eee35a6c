import SQLKit

/// Keycloak's `duplicateEmailsAllowed` on each realm: off, as Keycloak's default. Users who already share an address
/// keep it; only new ones and changes are refused. The lookup by address gets an index.
struct DuplicateEmails: Migration {
    let version = 21
    let name = "DuplicateEmails"

    func prepare(on sql: any SQLDatabase) async throws {
        try await sql.alter(table: "realms").column("duplicate_emails_allowed", type: .boolean, .notNull, .default(false)).run()
        try await sql.raw("CREATE INDEX users_realm_email ON users (realm, lower(email))").run()
    }
}
