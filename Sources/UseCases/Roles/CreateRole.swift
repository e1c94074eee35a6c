import Domain
import Storage

/// Creates a realm role, or a role of one client (admin REST `POST …/roles`, `POST …/clients/{id}/roles`).
public struct CreateRole: Sendable {
    let changes: ChangeLog

    public init(changes: ChangeLog) { self.changes = changes }

    public func callAsFunction(_ actor: Principal, realm: String, name: Identifier, description: String, clientInternalId: String? = nil) async throws
        -> Role
    {
        try Administration.authorize(actor, realm: realm)
        let role = Role(id: Identifiers.uuid(), realm: realm, clientId: clientInternalId, name: name.value, description: description)
        do {
            try await changes.commit { sql in
                if let clientInternalId, try await ClientStore(sql).find(realm: realm, id: clientInternalId) == nil {
                    throw AdministrationError.notFound(.client)
                }
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
        try Administration.authorize(actor, realm: realm)
        guard clientInternalId != nil || name != NexusOneRoles.defaultComposite(realm: realm) else {
            throw AdministrationError.refused("The default roles cannot be deleted")
        }
        try await changes.commit { sql in
            guard let role = try await RoleStore(sql).find(realm: realm, clientId: clientInternalId, name: name) else { throw AdministrationError.notFound(.role) }
            try await RoleStore(sql).delete(id: role.id)
        }
    }
}

/// Changes a role's description (admin REST `PUT …/roles/{name}`); a role keeps its name, as in Keycloak's console.
public struct UpdateRole: Sendable {
    let changes: ChangeLog

    public init(changes: ChangeLog) { self.changes = changes }

    public func callAsFunction(_ actor: Principal, realm: String, name: String, clientInternalId: String? = nil, description: String) async throws {
        try Administration.authorize(actor, realm: realm)
        guard description.count <= 255 else { throw ValueError(field: "description", message: "At most 255 characters", rule: .tooLong) }
        try await changes.commit { sql in
            guard let role = try await RoleStore(sql).find(realm: realm, clientId: clientInternalId, name: name) else { throw AdministrationError.notFound(.role) }
            try await RoleStore(sql).update(id: role.id, description: description)
        }
    }
}
