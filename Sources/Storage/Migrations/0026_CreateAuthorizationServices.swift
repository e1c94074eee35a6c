import SQLKit

/// Keycloak's authorization services: a client's resource-server settings (a JSON column, NULL while the services are
/// off), its resources, authorization scopes, policies and permissions, and what links them. Every link is a foreign
/// key that cascades, so deleting a resource takes it out of every permission and deleting the client takes it all.
struct CreateAuthorizationServices: Migration {
    let version = 26
    let name = "CreateAuthorizationServices"

    func prepare(on sql: any SQLDatabase) async throws {
        try await sql.alter(table: "clients").column("authz_settings", type: .text).run()
        try await sql.create(table: "authz_resources")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("client_id", type: .text, .notNull, .references("clients", "id", onDelete: .cascade))
            .column("name", type: .text, .notNull)
            .column("details", type: .text, .notNull)
            .unique("client_id", "name")
            .run()
        try await sql.create(table: "authz_scopes")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("client_id", type: .text, .notNull, .references("clients", "id", onDelete: .cascade))
            .column("name", type: .text, .notNull)
            .column("display_name", type: .text, .notNull)
            .column("icon_uri", type: .text, .notNull)
            .unique("client_id", "name")
            .run()
        try await sql.create(table: "authz_resource_scopes")
            .column("resource_id", type: .text, .notNull, .references("authz_resources", "id", onDelete: .cascade))
            .column("scope_id", type: .text, .notNull, .references("authz_scopes", "id", onDelete: .cascade))
            .primaryKey("resource_id", "scope_id")
            .run()
        try await sql.create(table: "authz_policies")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("client_id", type: .text, .notNull, .references("clients", "id", onDelete: .cascade))
            .column("name", type: .text, .notNull)
            .column("description", type: .text, .notNull)
            .column("type", type: .text, .notNull)
            .column("logic", type: .text, .notNull)
            .column("decision_strategy", type: .text, .notNull)
            .column("conditions", type: .text, .notNull)
            .unique("client_id", "name")
            .run()
        try await sql.create(table: "authz_policy_resources")
            .column("policy_id", type: .text, .notNull, .references("authz_policies", "id", onDelete: .cascade))
            .column("resource_id", type: .text, .notNull, .references("authz_resources", "id", onDelete: .cascade))
            .primaryKey("policy_id", "resource_id")
            .run()
        try await sql.create(table: "authz_policy_scopes")
            .column("policy_id", type: .text, .notNull, .references("authz_policies", "id", onDelete: .cascade))
            .column("scope_id", type: .text, .notNull, .references("authz_scopes", "id", onDelete: .cascade))
            .primaryKey("policy_id", "scope_id")
            .run()
        try await sql.create(table: "authz_policy_associations")
            .column("policy_id", type: .text, .notNull, .references("authz_policies", "id", onDelete: .cascade))
            .column("associated_id", type: .text, .notNull, .references("authz_policies", "id", onDelete: .cascade))
            .primaryKey("policy_id", "associated_id")
            .run()
        // The reverse direction of each link, which deletes and "which permissions name this" read.
        try await sql.raw("CREATE INDEX authz_resource_scopes_scope ON authz_resource_scopes (scope_id)").run()
        try await sql.raw("CREATE INDEX authz_policy_resources_resource ON authz_policy_resources (resource_id)").run()
        try await sql.raw("CREATE INDEX authz_policy_scopes_scope ON authz_policy_scopes (scope_id)").run()
        try await sql.raw("CREATE INDEX authz_policy_associations_associated ON authz_policy_associations (associated_id)").run()
    }
}
