import Domain
import Storage

/// Grants or removes roles of a user — the only way a user gets a role (identity.md: only an administrator assigns
/// roles). All listed roles change in one transaction or none does.
public struct ChangeRoleMappings: Sendable {
    let changes: ChangeLog

    public init(changes: ChangeLog) { self.changes = changes }

    /// A role named by the caller: its name, and (admin REST) the id it must have.
    public struct RoleReference: Sendable {
        public var name: String
        public var id: String?

        public init(name: String, id: String? = nil) {
            self.name = name
            self.id = id
        }
    }

    /// `clientInternalId` nil: realm roles; otherwise the roles of that client.
    public func callAsFunction(
        _ actor: Principal, realm: String, userId: String, roles: [RoleReference], clientInternalId: String? = nil, grant: Bool
    ) async throws {
        try Administration.authorize(actor, realm: realm)
        try await changes.commit(onUser: userId, realm: realm) { _, sql in
            let store = RoleStore(sql)
            for reference in roles {
                guard let role = try await store.find(realm: realm, clientId: clientInternalId, name: reference.name),
                    reference.id == nil || reference.id == role.id
                else { throw AdministrationError.notFound(.role) }
                if grant { try await store.grant(userId: userId, roleId: role.id) } else { try await store.revoke(userId: userId, roleId: role.id) }
            }
        }
    }
}
