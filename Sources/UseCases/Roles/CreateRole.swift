import Domain
import SQLKit
import Storage

/// Creates a realm role, or a role of one client (admin REST `POST …/roles`, `POST …/clients/{id}/roles`).
public struct CreateRole: Sendable {
    let changes: ChangeLog

    public init(changes: ChangeLog) { self.changes = changes }

    public func callAsFunction(
        _ actor: Principal, realm: String, name: Identifier, description: String, attributes: UserAttributes? = nil, clientInternalId: String? = nil
    ) async throws -> Role {
        try Administration.authorize(actor, realm: realm, clientInternalId == nil ? .manageRealm : .manageClients)
        _ = try DescriptionText(description)
        let role = Role(
            id: Identifiers.uuid(), realm: realm, clientId: clientInternalId, name: name.value, description: description,
            attributes: attributes?.values ?? [:])
        do {
            try await changes.commit { sql in
                if let clientInternalId, try await ClientStore(sql).find(realm: realm, id: clientInternalId) == nil {
                    throw AdministrationError.notFound(.client)
                }
                try await FixedRoles.requireChangeable(clientInternalId: clientInternalId, realm: realm, on: sql)
                try await RoleStore(sql).insert(role)
            }
        } catch StorageError.duplicate {
            throw AdministrationError.exists(.role, name: name.value)
        }
        return role
    }
}

/// Deletes a realm role (or a client's role) and its mappings; the realm's default roles stay.
public struct DeleteRole: Sendable {
    let changes: ChangeLog

    public init(changes: ChangeLog) { self.changes = changes }

    public func callAsFunction(_ actor: Principal, realm: String, name: String, clientInternalId: String? = nil) async throws {
        try Administration.authorize(actor, realm: realm, clientInternalId == nil ? .manageRealm : .manageClients)
        guard clientInternalId != nil || name != NexusOneRoles.defaultComposite(realm: realm) else {
            throw AdministrationError.refused("The default roles cannot be deleted")
        }
        try await changes.commit { sql in
            guard let role = try await RoleStore(sql).find(realm: realm, clientId: clientInternalId, name: name) else { throw AdministrationError.notFound(.role) }
            try await FixedRoles.requireRemovable(role, on: sql)
            try await RoleStore(sql).delete(id: role.id)
        }
    }
}

/// Changes a role (admin REST `PUT …/roles/{name}`, `PUT …/roles-by-id/{id}`): its name, description and attributes,
/// each only when given. A new name reaches tokens from the next one on, as in Keycloak.
public struct UpdateRole: Sendable {
    let changes: ChangeLog

    public init(changes: ChangeLog) { self.changes = changes }

    public struct Change: Sendable {
        public var name: Identifier?
        public var description: String?
        public var attributes: UserAttributes?

        public init(name: Identifier? = nil, description: String? = nil, attributes: UserAttributes? = nil) {
            (self.name, self.description, self.attributes) = (name, description, attributes)
        }
    }

    /// The role named `name` of the realm (`clientInternalId` nil) or of that client.
    public func callAsFunction(_ actor: Principal, realm: String, name: String, clientInternalId: String? = nil, _ change: Change) async throws {
        try await update(actor, realm: realm, clientInternalId: clientInternalId, change) { store in
            try await store.find(realm: realm, clientId: clientInternalId, name: name)
        }
    }

    /// The role with this id, of the realm or of any of its clients.
    public func callAsFunction(_ actor: Principal, realm: String, id: String, _ change: Change) async throws {
        let owner = try await changes.read { sql in try await RoleStore(sql).find(id: id).flatMap { $0.realm == realm ? $0 : nil } }
        guard let owner else { throw AdministrationError.notFound(.roleById) }
        try await update(actor, realm: realm, clientInternalId: owner.clientId, change) { store in
            try await store.find(id: id).flatMap { $0.realm == realm ? $0 : nil }
        }
    }

    private func update(
        _ actor: Principal, realm: String, clientInternalId: String?, _ change: Change, find: @Sendable @escaping (RoleStore) async throws -> Role?
    ) async throws {
        try Administration.authorize(actor, realm: realm, clientInternalId == nil ? .manageRealm : .manageClients)
        if let description = change.description { _ = try DescriptionText(description) }
        do {
            try await changes.commit { sql in
                guard var role = try await find(RoleStore(sql)) else { throw AdministrationError.notFound(.role) }
                if let name = change.name?.value, name != role.name {
                    try await FixedRoles.requireRenamable(role, to: name, on: sql)
                    role.name = name
                }
                if let description = change.description { role.description = description }
                if let attributes = change.attributes { role.attributes = attributes.values }
                try await RoleStore(sql).update(role)
            }
        } catch StorageError.duplicate {
            throw AdministrationError.exists(.role, name: change.name?.value ?? "")
        }
    }
}

/// Roles whose names carry meaning here and so stay as they are. `realm-management`'s rights are read by name
/// (`AdminRight`): adding, deleting, renaming or recomposing one there would change who may administer what. The roles
/// every realm's other Keycloak clients are given (`account`'s `manage-account`, …), Keycloak's built-in realm roles,
/// the default composite and NexusOne's roles are looked up by name too (self-service, offline tokens, new users,
/// `deploy`, the API), so they keep their names and stay, and no other role takes one of NexusOne's names by a rename.
enum FixedRoles {
    /// Refuses any change to the set of roles (or their composites) of `realm-management`.
    static func requireChangeable(clientInternalId: String?, realm: String, on sql: any SQLDatabase) async throws {
        guard let clientInternalId, try await ClientStore(sql).find(realm: realm, id: clientInternalId)?.client.clientId == KeycloakRealmLayout.realmManagement
        else { return }
        throw AdministrationError.refused("The roles of realm-management are fixed")
    }

    /// Refuses deleting or renaming a role the realm layout gives Keycloak's own clients.
    static func requireRemovable(_ role: Role, on sql: any SQLDatabase) async throws {
        try await requireChangeable(clientInternalId: role.clientId, realm: role.realm, on: sql)
        guard let owner = role.clientId, let client = try await ClientStore(sql).find(realm: role.realm, id: owner)?.client,
            let spec = KeycloakRealmLayout.clients.first(where: { $0.clientId == client.clientId }), spec.roles.contains(where: { $0.name == role.name })
        else { return }
        throw AdministrationError.refused("The role \(role.name) of \(client.clientId) is Keycloak's and stays as it is")
    }

    static func requireRenamable(_ role: Role, to name: String, on sql: any SQLDatabase) async throws {
        try await requireRemovable(role, on: sql)
        guard role.clientId == nil else { return }
        let fixed = Set(KeycloakRealmLayout.realmRoles + NexusOneRoles.all + [NexusOneRoles.defaultComposite(realm: role.realm)])
        if fixed.contains(role.name) { throw AdministrationError.refused("The role \(role.name) keeps its name") }
        if name.hasPrefix("nx1_") { throw AdministrationError.refused("nx1_ names are NexusOne's: create such a role instead of renaming one to it") }
    }
}
