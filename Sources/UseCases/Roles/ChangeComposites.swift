import Domain
import Storage

/// Adds roles to a composite role or removes them (admin REST `POST`/`DELETE …/roles/{name}/composites` and
/// `…/roles-by-id/{id}/composites`, which is also how Keycloak's clients change a realm's default roles), all in one
/// transaction. Who holds the composite holds its parts from the next token on — so changing one gives or takes roles
/// from everyone holding it, and needs what granting roles needs (`ChangeRoleMappings`: `manage-users` and
/// `manage-realm`), with `manage-clients` when either role is a client's, and only rights one holds
/// (`PrivilegeGuard`).
public struct ChangeComposites: Sendable {
    let changes: ChangeLog

    public init(changes: ChangeLog) { self.changes = changes }

    /// `parts` name roles of the realm or its clients by id, or realm roles by name.
    public func callAsFunction(
        _ actor: Principal, realm: String, parent name: String, clientInternalId: String? = nil, parts: [ChangeRoleMappings.RoleReference], add: Bool
    ) async throws {
        try await change(actor, realm: realm, parentClient: clientInternalId, parts: parts, add: add) { store in
            try await store.find(realm: realm, clientId: clientInternalId, name: name)
        }
    }

    /// The parent named by id, a role of the realm or of one of its clients.
    public func callAsFunction(_ actor: Principal, realm: String, parentId: String, parts: [ChangeRoleMappings.RoleReference], add: Bool) async throws {
        let parent = try await changes.read { sql in try await RoleStore(sql).find(id: parentId) }
        guard let parent, parent.realm == realm else {
            try Administration.authorizeAny(actor, realm: realm)
            throw AdministrationError.notFound(.role)
        }
        try await change(actor, realm: realm, parentClient: parent.clientId, parts: parts, add: add) { store in
            try await store.find(id: parentId).flatMap { $0.realm == realm ? $0 : nil }
        }
    }

    private func change(
        _ actor: Principal, realm: String, parentClient: String?, parts: [ChangeRoleMappings.RoleReference], add: Bool,
        findParent: @Sendable @escaping (RoleStore) async throws -> Role?
    ) async throws {
        try Administration.authorize(actor, realm: realm, .manageUsers)
        try Administration.authorize(actor, realm: realm, .manageRealm)
        if parentClient != nil { try Administration.authorize(actor, realm: realm, .manageClients) }
        // A role deleted between the lookup and the insert (PostgreSQL runs both at once) is as missing as one never there.
        try await StorageError.missingReference.means(AdministrationError.notFound(.compositeRole)) {
            try await changes.commit { sql in
                let store = RoleStore(sql)
                guard let parent = try await findParent(store) else { throw AdministrationError.notFound(.role) }
                try await FixedRoles.requireChangeable(clientInternalId: parent.clientId, realm: realm, on: sql)
                for reference in parts {
                    let found = if let id = reference.id { try await store.find(id: id) } else { try await store.find(realm: realm, name: reference.name) }
                    guard let child = found, child.realm == realm else { throw AdministrationError.notFound(.compositeRole) }
                    guard child.id != parent.id else { throw AdministrationError.refused("A role cannot contain itself") }
                    if child.clientId != nil { try Administration.authorize(actor, realm: realm, .manageClients) }
                    // Whoever holds the parent would hold the child's rights, and the parent's may hold it too.
                    try await PrivilegeGuard.requireHolds(actor, rightsOf: [child, parent], realm: realm, on: sql)
                    if add { try await store.addComposite(parent: parent.id, child: child.id) } else { try await store.removeComposite(parent: parent.id, child: child.id) }
                }
            }
        }
    }
}
