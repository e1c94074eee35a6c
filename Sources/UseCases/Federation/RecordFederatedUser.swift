import Domain
import Storage

/// Keeps the local record of a federated realm's user in step with their latest token: created at the first token
/// (id = `sub`), names and email updated, and their direct realm roles set to the token's roles that exist here, so
/// their PSKs carry what their tokens carry. Announced to other nodes only when roles changed.
public struct RecordFederatedUser: Sendable {
    let changes: ChangeLog
    let clock: EpochClock

    public init(changes: ChangeLog, clock: EpochClock) {
        self.changes = changes
        self.clock = clock
    }

    /// Returns whether the user is enabled here. Throws when the `sub` is a user of another realm (ids are unique
    /// across realms) or the username belongs to another user of this one: that token must not act here.
    public func callAsFunction(_ user: FederatedUser) async throws -> Bool {
        let id = try Identifier(user.id, field: "sub")
        let username = try Identifier.username(user.username, field: "preferred_username")
        let now = clock.now
        return try await changes.commit(announcingIf: { sql in
            let store = UserStore(sql)
            var rolesMayBeCached = false
            var enabled = true
            if let existing = try await store.find(realm: user.realm, id: id.value) {
                enabled = existing.enabled
                _ = try await store.change(
                    realm: user.realm, id: id.value, email: .some(user.email), firstName: user.firstName ?? "", lastName: user.lastName ?? "",
                    enabled: nil, emailVerified: user.emailVerified, mustChangePassword: nil)
                rolesMayBeCached = true
            } else {
                try await store.insertIfAbsent(
                    User(
                        id: id.value, realm: user.realm, username: username.value, email: user.email, firstName: user.firstName, lastName: user.lastName,
                        emailVerified: user.emailVerified, createdAt: now))
                guard let inserted = try await store.find(realm: user.realm, id: id.value), inserted.username == username.value else {
                    throw AdministrationError.exists(.user, name: username.value)
                }
                enabled = inserted.enabled
            }
            let roles = RoleStore(sql)
            let held = try await roles.direct(userId: id.value).filter { $0.clientId == nil }
            let heldNames = Set(held.map(\.name))
            var changed = false
            for role in try await roles.all(realm: user.realm) where user.roles.contains(role.name) && !heldNames.contains(role.name) {
                try await roles.grant(userId: id.value, roleId: role.id)
                changed = true
            }
            for role in held where !user.roles.contains(role.name) {
                try await roles.revoke(userId: id.value, roleId: role.id)
                changed = true
            }
            return (enabled, rolesMayBeCached && changed)
        })
    }
}
