import SQLKit

/// Keycloak's role attributes, as one JSON text column like users' and groups' (`AttributesColumn`).
struct RoleAttributes: Migration {
    let version = 23
    let name = "RoleAttributes"

    func prepare(on sql: any SQLDatabase) async throws {
        try await sql.alter(table: "roles").column("attributes", type: .text).run()
    }
}
