import Domain
import SQLKit

/// Realm and client roles, composites, and which users hold which roles.
public struct RoleStore: Sendable {
    let sql: any SQLDatabase

    public init(_ sql: any SQLDatabase) { self.sql = sql }

    struct Row: Codable {
        var id: String
        var realm: String
        var clientId: String
        var name: String
        var description: String

        init(_ role: Role) {
            id = role.id
            realm = role.realm
            clientId = role.clientId ?? ""
            name = role.name
            description = role.description
        }

        func role(composite: Bool = false) -> Role {
            Role(id: id, realm: realm, clientId: clientId.isEmpty ? nil : clientId, name: name, description: description, composite: composite)
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

    /// Every role a user holds, composites expanded (what goes into a token).
    public func effective(userId: String) async throws -> [Role] {
        var seen: [String: Role] = [:]
        var frontier = try await direct(userId: userId)
        while !frontier.isEmpty {
            for role in frontier { seen[role.id] = role }
            let children = try await sql.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("roles"))).from("roles")
                .join("role_composites", on: SQLColumn("id", table: "roles"), .equal, SQLColumn("child_id", table: "role_composites"))
                .where(SQLColumn("parent_id", table: "role_composites"), .in, SQLBind.group(frontier.map(\.id)))
                .all(decoding: Row.self, with: Codecs.decoder).map { $0.role() }
            frontier = children.filter { seen[$0.id] == nil }
        }
        return seen.values.sorted { $0.name < $1.name }
    }

    /// What a token, a key's principal and a portal page say about a user — the one reading of effective roles: realm
    /// role names, and client role names by the owning client's `clientId`, each sorted.
    public func effectiveNames(userId: String) async throws -> (realm: [String], clients: [String: [String]]) {
        var realm: [String] = []
        var clients: [String: [String]] = [:]
        var clientIds: [String: String] = [:]
        for role in try await effective(userId: userId) {
            guard let owner = role.clientId else {
                realm.append(role.name)
                continue
            }
            if clientIds[owner] == nil { clientIds[owner] = try await ClientStore(sql).find(realm: role.realm, id: owner)?.client.clientId ?? "" }
            guard let clientId = clientIds[owner], !clientId.isEmpty else { continue }
            clients[clientId, default: []].append(role.name)
        }
        return (realm.sorted(), clients.mapValues { $0.sorted() })
    }

    private func hasChildren(_ id: String) async throws -> Bool {
        try await sql.select().column("child_id").from("role_composites").where("parent_id", .equal, id).first() != nil
    }
}
