import SQLKit

/// Client scopes and protocol mappers (Keycloak's configuration model of which claims a token carries): the scopes,
/// their mappers and clients' own, which scopes a realm gives new clients and which each client holds (default or
/// optional), and scope mappings (roles a scope or client names). Keycloak's default scopes come with the realm layout
/// (`AddKeycloakRealmLayout`, 0025).
struct CreateClientScopes: Migration {
    let version = 22
    let name = "CreateClientScopes"

    func prepare(on sql: any SQLDatabase) async throws {
        try await sql.create(table: "client_scopes")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("realm", type: .text, .notNull, .references("realms", "name", onDelete: .cascade))
            .column("name", type: .text, .notNull)
            .column("description", type: .text, .notNull)
            .column("attributes", type: .text)
            .unique("realm", "name")
            .run()
        // A mapper belongs to one scope or one client; its name is unique there.
        try await sql.create(table: "protocol_mappers")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("scope_id", type: .text, .references("client_scopes", "id", onDelete: .cascade))
            .column("client_id", type: .text, .references("clients", "id", onDelete: .cascade))
            .column("name", type: .text, .notNull)
            .column("type", type: .text, .notNull)
            .column("config", type: .text)
            .check(SQLRaw("(scope_id IS NULL) <> (client_id IS NULL)"), named: "protocol_mappers_one_owner")
            .run()
        try await sql.raw("CREATE UNIQUE INDEX protocol_mappers_owner_name ON protocol_mappers (COALESCE(scope_id, ''), COALESCE(client_id, ''), name)").run()
        try await sql.raw("CREATE INDEX protocol_mappers_client ON protocol_mappers (client_id)").run()
        try await sql.create(table: "realm_client_scopes")
            .column("realm", type: .text, .notNull, .references("realms", "name", onDelete: .cascade))
            .column("scope_id", type: .text, .notNull, .references("client_scopes", "id", onDelete: .cascade))
            .column("kind", type: .text, .notNull)
            .primaryKey("realm", "scope_id")
            .run()
        try await sql.create(table: "client_client_scopes")
            .column("client_id", type: .text, .notNull, .references("clients", "id", onDelete: .cascade))
            .column("scope_id", type: .text, .notNull, .references("client_scopes", "id", onDelete: .cascade))
            .column("kind", type: .text, .notNull)
            .primaryKey("client_id", "scope_id")
            .run()
        try await sql.raw("CREATE INDEX client_client_scopes_scope ON client_client_scopes (scope_id)").run()
        try await sql.create(table: "scope_role_mappings")
            .column("scope_id", type: .text, .references("client_scopes", "id", onDelete: .cascade))
            .column("client_id", type: .text, .references("clients", "id", onDelete: .cascade))
            .column("role_id", type: .text, .notNull, .references("roles", "id", onDelete: .cascade))
            .check(SQLRaw("(scope_id IS NULL) <> (client_id IS NULL)"), named: "scope_role_mappings_one_owner")
            .run()
        try await sql.raw("CREATE UNIQUE INDEX scope_role_mappings_owner_role ON scope_role_mappings (COALESCE(scope_id, ''), COALESCE(client_id, ''), role_id)").run()
    }
}
