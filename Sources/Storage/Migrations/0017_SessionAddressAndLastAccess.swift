import SQLKit

/// Where a session was opened from and when it was last refreshed, as Keycloak's session list shows them.
struct SessionAddressAndLastAccess: Migration {
    let version = 17
    let name = "SessionAddressAndLastAccess"

    func prepare(on sql: any SQLDatabase) async throws {
        try await sql.alter(table: "sessions").column("ip_address", type: .text).run()
        try await sql.alter(table: "sessions").column("last_access", type: .bigint).run()
        try await sql.raw("UPDATE sessions SET last_access = created_at").run()
        try await sql.create(index: "sessions_user").on("sessions").column("user_id").run()
        try await sql.create(index: "sessions_realm_client").on("sessions").column("realm").column("client_id").run()
    }
}
