import SQLKit

/// OAuth clients; the secret is sealed (AES-GCM), never stored in clear.
struct CreateClients: Migration {
    let version = 2
    let name = "CreateClients"

    func prepare(on sql: any SQLDatabase) async throws {
        try await sql.create(table: "clients")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("realm", type: .text, .notNull, .references("realms", "name", onDelete: .cascade))
            .column("client_id", type: .text, .notNull)
            .column("name", type: .text, .notNull)
            .column("public_client", type: .boolean, .notNull)
            .column("enabled", type: .boolean, .notNull)
            .column("service_accounts_enabled", type: .boolean, .notNull)
            .column("standard_flow_enabled", type: .boolean, .notNull)
            .column("direct_access_grants_enabled", type: .boolean, .notNull)
            .column("redirect_uris", type: .text, .notNull)
            .column("sealed_secret", type: .text)
            .column("created_at", type: .bigint, .notNull)
            .unique("realm", "client_id")
            .run()
    }
}
