import SQLKit

/// Keycloak's groups: a tree per realm (a group's subtree goes with it), members, and role mappings on groups.
struct CreateGroups: Migration {
    let version = 16
    let name = "CreateGroups"

    func prepare(on sql: any SQLDatabase) async throws {
        try await sql.create(table: "groups")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("realm", type: .text, .notNull, .references("realms", "name", onDelete: .cascade))
            .column("parent_id", type: .text, .references("groups", "id", onDelete: .cascade))
            .column("name", type: .text, .notNull)
            .column("attributes", type: .text)
            .run()
        // Sibling names are unique, top-level groups included (their parent is NULL, which a plain unique constraint
        // would let repeat): the index decides when two creates meet.
        try await sql.raw("CREATE UNIQUE INDEX groups_sibling_names ON \"groups\" (realm, COALESCE(parent_id, ''), name)").run()
        try await sql.create(index: "groups_parent").on("groups").column("parent_id").run()
        try await sql.create(table: "group_members")
            .column("group_id", type: .text, .notNull, .references("groups", "id", onDelete: .cascade))
            .column("user_id", type: .text, .notNull, .references("users", "id", onDelete: .cascade))
            .primaryKey("group_id", "user_id")
            .run()
        try await sql.create(index: "group_members_user").on("group_members").column("user_id").run()
        try await sql.create(table: "group_roles")
            .column("group_id", type: .text, .notNull, .references("groups", "id", onDelete: .cascade))
            .column("role_id", type: .text, .notNull, .references("roles", "id", onDelete: .cascade))
            .primaryKey("group_id", "role_id")
            .run()
        try await sql.create(index: "group_roles_role").on("group_roles").column("role_id").run()
    }
}
