import Domain
import SQLKit

/// Realm and client roles, composites, and which users hold which roles.
public struct RoleStore: Sendable {
    let sql: any SQLDatabase

    public init(_ sql: any SQLDatabase) { self.sql = sql }

    /// A row of `roles`; `clientId` is empty for a realm role (so the unique index covers realm roles too).
    struct Row: Codable {
        var id, realm, clientId, name, description: String
        var attributes: String?

        init(_ role: Role) {
            id = role.id
            realm = role.realm
            clientId = role.clientId ?? ""
            name = role.name
            description = role.description
            attributes = AttributesColumn.encode(role.attributes)
        }

        func role(composite: Bool = false) -> Role {
            Role(
                id: id, realm: realm, clientId: clientId.isEmpty ? nil : clientId, name: name, description: description, composite: composite,
                attributes: AttributesColumn.decode(attributes))
        }
    }

    public func insert(_ role: Role) async throws {
        try await sql.insert(into: "roles").model(Row(role), with: Codecs.encoder).run()
    }

    /// A realm role (clientId nil) or a client role by name.
    public func find(realm: String, clientId: String? = nil, name: String) async throws -> Role? {
        guard
            let row = try await sql.select().column("*").from("roles").where("realm", .equal, realm)
                .where("client_id", .equal, clientId ?? "").where("name", .equal, name)
                .first(decoding: Row.self, with: Codecs.decoder)
        else { return nil }
        return row.role(composite: try await hasChildren(row.id))
    }

    public func find(id: String) async throws -> Role? {
        guard let row = try await sql.select().column("*").from("roles").where("id", .equal, id).first(decoding: Row.self, with: Codecs.decoder)
        else { return nil }
        return row.role(composite: try await hasChildren(row.id))
    }

    public func all(realm: String, clientId: String? = nil) async throws -> [Role] {
        let rows = try await sql.select().column("*").from("roles").where("realm", .equal, realm).where("client_id", .equal, clientId ?? "")
            .orderBy("name").all(decoding: Row.self, with: Codecs.decoder)
        let parents = Set(try await sql.select().distinct().column("parent_id").from("role_composites").all(decodingColumn: "parent_id", as: String.self))
        return rows.map { $0.role(composite: parents.contains($0.id)) }
    }

    public func delete(id: String) async throws {
        try await sql.delete(from: "roles").where("id", .equal, id).run()
    }

    public func update(id: String, description: String) async throws {
        try await sql.update("roles").set("description", to: description).where("id", .equal, id).run()
    }

    /// A new name, description and attributes; a name another role of the same realm or client has throws
    /// `StorageError.duplicate` (the unique index decides).
    public func update(_ role: Role) async throws {
        try await sql.update("roles").set("name", to: role.name).set("description", to: role.description)
            .set("attributes", to: AttributesColumn.encode(role.attributes)).where("id", .equal, role.id).run()
    }

    /// Makes `child` part of `parent`; adding it again changes nothing.
    public func addComposite(parent: String, child: String) async throws {
        try await sql.insert(into: "role_composites").columns("parent_id", "child_id").values(SQLBind(parent), SQLBind(child))
            .ignoringConflicts().run()
    }

    public func removeComposite(parent: String, child: String) async throws {
        try await sql.delete(from: "role_composites").where("parent_id", .equal, parent).where("child_id", .equal, child).run()
    }

    /// The roles a composite role contains directly, by name.
    public func children(of parentId: String) async throws -> [Role] {
        let rows = try await sql.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("roles"))).from("roles")
            .join("role_composites", on: SQLColumn("id", table: "roles"), .equal, SQLColumn("child_id", table: "role_composites"))
            .where(SQLColumn("parent_id", table: "role_composites"), .equal, SQLBind(parentId))
            .orderBy("name").all(decoding: Row.self, with: Codecs.decoder)
        var roles: [Role] = []
        for row in rows { roles.append(row.role(composite: try await hasChildren(row.id))) }
        return roles
    }

    /// The users a role is mapped to directly, by username, within `window` (Keycloak's role members).
    public func members(roleId: String, window: ListWindow) async throws -> [User] {
        try await sql.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("users"))).from("users")
            .join("user_roles", on: SQLColumn("id", table: "users"), .equal, SQLColumn("user_id", table: "user_roles"))
            .where(SQLColumn("role_id", table: "user_roles"), .equal, SQLBind(roleId))
            .orderBy(SQLColumn("username", table: "users")).window(window)
            .all(decoding: UserStore.Row.self, with: Codecs.decoder).map(\.user)
    }

    /// Grants a role; granting one the user already holds changes nothing (also when two grants meet).
    public func grant(userId: String, roleId: String) async throws {
        try await sql.insert(into: "user_roles").columns("user_id", "role_id").values(SQLBind(userId), SQLBind(roleId)).ignoringConflicts().run()
    }

    public func revoke(userId: String, roleId: String) async throws {
        try await sql.delete(from: "user_roles").where("user_id", .equal, userId).where("role_id", .equal, roleId).run()
    }

    /// The roles mapped directly to a user (not expanded).
    public func direct(userId: String) async throws -> [Role] {
        try await sql.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("roles"))).from("roles")
            .join("user_roles", on: SQLColumn("id", table: "roles"), .equal, SQLColumn("role_id", table: "user_roles"))
            .where(SQLColumn("user_id", table: "user_roles"), .equal, SQLBind(userId))
            .orderBy("name")
            .all(decoding: Row.self, with: Codecs.decoder).map { $0.role() }
    }

    /// The roles any of `parentIds` contains directly (one level of composites; `EffectiveRoles` walks the rest).
    public func children(ofAny parentIds: [String]) async throws -> [Role] {
        guard !parentIds.isEmpty else { return [] }
        return try await sql.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("roles"))).from("roles")
            .join("role_composites", on: SQLColumn("id", table: "roles"), .equal, SQLColumn("child_id", table: "role_composites"))
            .where(SQLColumn("parent_id", table: "role_composites"), .in, SQLBind.group(parentIds))
            .all(decoding: Row.self, with: Codecs.decoder).map { $0.role() }
    }

    private func hasChildren(_ id: String) async throws -> Bool {
        try await sql.select().column("child_id").from("role_composites").where("parent_id", .equal, id).first() != nil
    }
}
