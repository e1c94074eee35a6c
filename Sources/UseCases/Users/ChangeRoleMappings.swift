import Domain
import SQLKit
import Storage

/// Grants or removes roles of a user or a group — the only way anyone gets a role (identity.md: only an administrator
/// assigns roles). All listed roles change in one transaction or none does. It takes `manage-users` and `manage-realm`
/// together: a help desk with `manage-users` alone looks after people without deciding what they may do. Nobody grants
/// an administration right they lack, or changes the roles of someone who holds one they lack (`PrivilegeGuard`).
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
        _ actor: Principal, realm: String, holder: RoleHolder, roles: [RoleReference], clientInternalId: String? = nil, grant: Bool
    ) async throws {
        try Administration.authorize(actor, realm: realm, .manageUsers)
        try Administration.authorize(actor, realm: realm, .manageRealm)
        do {
            try await grantOrRevoke(actor, realm: realm, holder: holder, roles: roles, clientInternalId: clientInternalId, grant: grant)
        } catch StorageError.missingReference {
            // The holder or a role was deleted between the lookup and the insert (PostgreSQL runs both at once): say which.
            try await changes.read { sql in try await RoleMappings.requireHolder(holder, realm: realm, on: sql) }
            throw AdministrationError.notFound(.role)
        }
    }

    private func grantOrRevoke(
        _ actor: Principal, realm: String, holder: RoleHolder, roles references: [RoleReference], clientInternalId: String?, grant: Bool
    ) async throws {
        try await changes.commit { sql in
            try await RoleMappings.requireHolder(holder, realm: realm, on: sql)
            let store = RoleStore(sql)
            var roles: [Role] = []
            for reference in references {
                guard let role = try await store.find(realm: realm, clientId: clientInternalId, name: reference.name),
                    reference.id == nil || reference.id == role.id
                else { throw AdministrationError.notFound(.role) }
                roles.append(role)
            }
            if case .user(let id) = holder { try await PrivilegeGuard.requireOutranks(actor, userId: id, realm: realm, on: sql) }
            // Taking a right away is guarded as giving it: otherwise one could demote those above them.
            try await PrivilegeGuard.requireHolds(actor, rightsOf: roles, realm: realm, on: sql)
            for role in roles {
                switch (holder, grant) {
                case (.user(let id), true): try await store.grant(userId: id, roleId: role.id)
                case (.user(let id), false): try await store.revoke(userId: id, roleId: role.id)
                case (.group(let id), true): try await GroupStore(sql).grant(groupId: id, roleId: role.id)
                case (.group(let id), false): try await GroupStore(sql).revoke(groupId: id, roleId: role.id)
                }
            }
        }
    }
}
