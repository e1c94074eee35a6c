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

/// Deletes a realm role and its mappings; the realm's default roles stay.
public struct DeleteRole: Sendable {
    let changes: ChangeLog

    public init(changes: ChangeLog) { self.changes = changes }

    public func callAsFunction(_ actor: Principal, realm: String, name: String) async throws {
        try Administration.authorize(actor, realm: realm)
        guard name != NexusOneRoles.defaultComposite(realm: realm) else { throw AdministrationError.refused("The default roles cannot be deleted") }
        try await changes.commit { sql in
            guard let role = try await RoleStore(sql).find(realm: realm, name: name) else { throw AdministrationError.notFound(.role) }
            try await RoleStore(sql).delete(id: role.id)
        }
    }
}
