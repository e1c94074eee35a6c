import SQLKit

/// Users (password hashes only), roles, composites and role mappings.
struct CreateUsersAndRoles: Migration {
    let version = 3
    let name = "CreateUsersAndRoles"

    func prepare(on sql: any SQLDatabase) async throws {
        try await sql.create(table: "users")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("realm", type: .text, .notNull, .references("realms", "name", onDelete: .cascade))
            .column("username", type: .text, .notNull)
            .column("email", type: .text)
            .column("first_name", type: .text)
            .column("last_name", type: .text)
            .column("enabled", type: .boolean, .notNull)
            .column("email_verified", type: .boolean, .notNull)
            .column("password_hash", type: .text)
            .column("service_account_client_id", type: .text, .references("clients", "id", onDelete: .cascade))
            .column("must_change_password", type: .boolean, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .unique("realm", "username")
            .run()
        // Realm roles use '' as client_id so the unique constraint also holds for them.
        try await sql.create(table: "roles")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("realm", type: .text, .notNull, .references("realms", "name", onDelete: .cascade))
            .column("client_id", type: .text, .notNull)
            .column("name", type: .text, .notNull)
            .column("description", type: .text, .notNull)
            .unique("realm", "client_id", "name")
            .run()
        try await sql.create(table: "role_composites")
            .column("parent_id", type: .text, .notNull, .references("roles", "id", onDelete: .cascade))
            .column("child_id", type: .text, .notNull, .references("roles", "id", onDelete: .cascade))
            .primaryKey("parent_id", "child_id")
            .run()
        try await sql.create(table: "user_roles")
            .column("user_id", type: .text, .notNull, .references("users", "id", onDelete: .cascade))
            .column("role_id", type: .text, .notNull, .references("roles", "id", onDelete: .cascade))
            .primaryKey("user_id", "role_id")
            .run()
    }
}
