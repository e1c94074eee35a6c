import Domain
import Storage

/// Reading a realm's roles, for anyone with a right in administering it (as in Keycloak, where a help desk sees the
/// roles it cannot grant): realm roles (`clientInternalId` nil) or the roles of one client.
public struct Roles: Sendable {
    let database: any Database

    public init(database: any Database) { self.database = database }

    /// The roles whose name contains `search` (case-insensitively), by name, within `window`.
    public func all(_ actor: Principal, realm: String, clientInternalId: String? = nil, search: String? = nil, window: ListWindow = .all)
        async throws -> [Role]
    {
        try Administration.authorizeAny(actor, realm: realm)
        let roles = try await database.read { sql in try await RoleStore(sql).all(realm: realm, clientId: clientInternalId) }
        return window.slice(search.map { text in roles.filter { TextMatch.contains(text).matches($0.name) } } ?? roles)
    }

    public func find(_ actor: Principal, realm: String, clientInternalId: String? = nil, name: String) async throws -> Role {
        try Administration.authorizeAny(actor, realm: realm)
        guard let role = try await database.read({ sql in try await RoleStore(sql).find(realm: realm, clientId: clientInternalId, name: name) }) else {
            throw AdministrationError.notFound(.role)
        }
        return role
    }

    /// A role of the realm (or of one of its clients) by id (admin REST `…/roles-by-id/{id}`).
    public func find(_ actor: Principal, realm: String, id: String) async throws -> Role {
        try Administration.authorizeAny(actor, realm: realm)
        guard let role = try await database.read({ sql in try await RoleStore(sql).find(id: id) }), role.realm == realm else {
            throw AdministrationError.notFound(.roleById)
        }
        return role
    }

    /// The users the role is mapped to directly.
    public func members(_ actor: Principal, realm: String, clientInternalId: String? = nil, name: String, window: ListWindow) async throws -> [User] {
        let role = try await find(actor, realm: realm, clientInternalId: clientInternalId, name: name)
        return try await database.read { sql in try await RoleStore(sql).members(roleId: role.id, window: window) }
    }

    /// The roles a composite role (named by id) contains directly.
    public func composites(_ actor: Principal, realm: String, roleId: String) async throws -> [Role] {
        let role = try await find(actor, realm: realm, id: roleId)
        return try await database.read { sql in try await RoleStore(sql).children(of: role.id) }
    }
}
