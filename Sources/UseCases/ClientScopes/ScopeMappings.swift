import Domain
import SQLKit
import Storage

/// Scope mappings — the roles a client scope, or a client, names (Keycloak's "role scope"). Every client here has
/// Keycloak's default of full scope, so a token carries every role its user holds and these only record what a tool
/// set; they are kept, listed and exported as Keycloak keeps them. Read with `view-clients`, changed with
/// `manage-clients`.
public struct ScopeMappings: Sendable {
    let changes: ChangeLog

    public init(changes: ChangeLog) { self.changes = changes }

    public func roles(_ actor: Principal, realm: String, owner: MapperOwner) async throws -> [Role] {
        try Administration.authorize(actor, realm: realm, .viewClients)
        return try await changes.read { sql in
            try await ProtocolMappers.requireOwner(owner, realm: realm, on: sql)
            return try await ScopeMappingStore(sql).roles(owner: owner)
        }
    }

    /// Adds or removes roles of the realm (`clientInternalId` nil) or of one client, all or none.
    public func change(
        _ actor: Principal, realm: String, owner: MapperOwner, roles: [ChangeRoleMappings.RoleReference], clientInternalId: String?, add: Bool
    ) async throws {
        try Administration.authorize(actor, realm: realm, .manageClients)
        try await StorageError.missingReference.means(AdministrationError.notFound(.role)) {
            try await changes.commit { sql in
                try await ProtocolMappers.requireOwner(owner, realm: realm, on: sql)
                if let clientInternalId { try await ClientScopes.requireClient(clientInternalId, realm: realm, on: sql) }
                for reference in roles {
                    let store = RoleStore(sql)
                    let found = if let id = reference.id { try await store.find(id: id) } else { try await store.find(realm: realm, clientId: clientInternalId, name: reference.name) }
                    guard let role = found, role.realm == realm, role.clientId == clientInternalId else { throw AdministrationError.notFound(.role) }
                    if add { try await ScopeMappingStore(sql).add(roleId: role.id, owner: owner) } else { try await ScopeMappingStore(sql).remove(roleId: role.id, owner: owner) }
                }
            }
        }
    }
}
