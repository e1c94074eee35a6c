import Domain
import Storage

/// Changes a user's profile (admin REST `PUT …/users/{id}`, the portal's enable/disable). Disabling ends the user's
/// access at once: sessions and tokens issued so far, on every node, and their keys for good (`UserAccess.disable`).
/// Nobody disables themselves.
public struct UpdateUser: Sendable {
    let changes: ChangeLog
    let clock: EpochClock

    public init(changes: ChangeLog, clock: EpochClock) {
        self.changes = changes
        self.clock = clock
    }

    public func callAsFunction(_ actor: Principal, realm: String, userId: String, _ profile: UserProfile) async throws -> User {
        try profile.validate()
        if profile.enabled == false && userId == actor.subject && actor.realm == realm {
            throw AdministrationError.refused("You cannot disable yourself.")
        }
        let now = clock.now
        return try await changes.commit { sql in
            // `manage-users`, or `manage-members` on one of the user's groups.
            try await GroupPermissions.authorize(actor, realm: realm, .manageUsers, member: userId, .manageMembers, on: sql)
            try await PrivilegeGuard.requireOutranks(actor, userId: userId, realm: realm, on: sql)
            if let email = profile.email { try await UniqueEmail.check(email, userId: userId, realm: realm, on: sql) }
            guard let user = try await UserStore(sql).change(
                realm: realm, id: userId, email: profile.email, firstName: profile.firstName, lastName: profile.lastName, enabled: profile.enabled,
                emailVerified: profile.emailVerified, mustChangePassword: profile.mustChangePassword, attributes: profile.attributes?.values,
                mustConfigureOTP: profile.mustConfigureOTP)
            else { throw AdministrationError.notFound(.user) }
            if profile.enabled == false { try await UserAccess.disable(userId: user.id, realm: realm, actor: actor, now: now, on: sql) }
            // Enabling a user ends a brute-force lockout too, as in Keycloak: the administrator has decided.
            if profile.enabled == true { try await LoginFailureStore(sql).clear(userId: user.id) }
            return user
        }
    }
}
