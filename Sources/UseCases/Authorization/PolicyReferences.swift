import Domain
import SQLKit
import Storage

/// Turns what a policy names — by id, or by name as Keycloak's exports write it — into ids of this realm, and ids back
/// into those names for export. Anything not found is refused by name: a policy that silently named nothing would deny
/// (or, negated, grant) without anyone seeing why.
struct PolicyReferences {
    let sql: any SQLDatabase
    let realm: String

    /// A role by id, realm role name, or `clientId/role`.
    func role(_ reference: String) async throws -> String {
        let roles = RoleStore(sql)
        if let role = try await roles.find(id: reference), role.realm == realm { return role.id }
        if let role = try await roles.find(realm: realm, name: reference) { return role.id }
        if let slash = reference.firstIndex(of: "/"),
            let client = try await ClientStore(sql).find(realm: realm, clientId: String(reference[..<slash]))?.client,
            let role = try await roles.find(realm: realm, clientId: client.id, name: String(reference[reference.index(after: slash)...]))
        {
            return role.id
        }
        throw AdministrationError.refused("Role [\(reference)] does not exist")
    }

    /// A user by id or username.
    func user(_ reference: String) async throws -> String {
        let users = UserStore(sql)
        if let user = try await users.find(realm: realm, id: reference) { return user.id }
        if Names.isValidIdentifier(reference), let found = try await users.credentials(realm: realm, username: reference) { return found.user.id }
        throw AdministrationError.refused("User [\(reference)] does not exist")
    }

    /// A client by id or `clientId`.
    func client(_ reference: String) async throws -> String {
        let clients = ClientStore(sql)
        if let found = try await clients.find(realm: realm, id: reference) { return found.client.id }
        if let found = try await clients.find(realm: realm, clientId: reference) { return found.client.id }
        throw AdministrationError.refused("Client [\(reference)] does not exist")
    }

    /// A group by id or path.
    func group(_ reference: String) async throws -> String {
        if let group = try await GroupStore(sql).find(realm: realm, id: reference) { return group.id }
        if reference.hasPrefix("/"), let group = try await Groups.find(path: reference, realm: realm, on: sql) { return group.id }
        throw AdministrationError.refused("Group [\(reference)] does not exist")
    }

    // MARK: Back to names (exports)

    func roleName(_ id: String) async throws -> String {
        guard let role = try await RoleStore(sql).find(id: id) else { return id }
        guard let owner = role.clientId else { return role.name }
        let clientId = try await ClientStore(sql).find(realm: realm, id: owner)?.client.clientId ?? owner
        return "\(clientId)/\(role.name)"
    }

    func username(_ id: String) async throws -> String { try await UserStore(sql).find(realm: realm, id: id)?.username ?? id }

    func clientId(_ id: String) async throws -> String { try await ClientStore(sql).find(realm: realm, id: id)?.client.clientId ?? id }

    func groupPath(_ id: String) async throws -> String { try await GroupStore(sql).find(realm: realm, id: id)?.path ?? id }
}
