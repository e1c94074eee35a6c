import Domain
import Secrets
import Storage

/// An administrator sets a user's password (admin REST `PUT …/users/{id}/reset-password`); the user's sessions and
/// tokens end, as after any password change that someone else made. The realm's password policy applies.
public struct ResetPassword: Sendable {
    let changes: ChangeLog
    let passwords: PasswordHasher
    let clock: EpochClock

    public func callAsFunction(_ actor: Principal, realm: String, userId: String, password: UserPassword, temporary: Bool) async throws {
        // `manage-users`, or `manage-members` on one of the user's groups: checked before the password is hashed, and
        // again in the change.
        let (user, current, policy, earlier) = try await changes.read { sql in
            try await GroupPermissions.authorize(actor, realm: realm, .manageUsers, member: userId, .manageMembers, on: sql)
            guard let found = try await UserStore(sql).credentials(realm: realm, id: userId) else { throw AdministrationError.notFound(.user) }
            let policy = try await RealmStore(sql).find(realm)?.policy ?? .none
            let earlier = try await PasswordRules.earlier(userId: userId, currentHash: found.passwordHash, policy: policy, on: sql)
            return (found.user, found.passwordHash, policy, earlier)
        }
        try await PasswordRules(passwords: passwords).check(password.value, username: user.username, email: user.email, policy: policy, earlier: earlier)
        let hash = try await passwords.hash(password.value)
        let now = clock.now
        try await changes.commit(onUser: userId, realm: realm) { _, sql in
            try await GroupPermissions.authorize(actor, realm: realm, .manageUsers, member: userId, .manageMembers, on: sql)
            try await PrivilegeGuard.requireOutranks(actor, userId: userId, realm: realm, on: sql)
            try await UserStore(sql).setPassword(id: userId, hash: hash, mustChange: temporary, at: now)
            try await PasswordRules.replaced(current, userId: userId, policy: policy, now: now, on: sql)
            try await UserAccess.end(userId: userId, realm: realm, now: now, on: sql)
        }
    }
}
