import Domain
import Secrets
import Storage

/// An administrator sets a user's password (admin REST `PUT …/users/{id}/reset-password`); the user's sessions and
/// tokens end, as after any password change that someone else made.
public struct ResetPassword: Sendable {
    let changes: ChangeLog
    let passwords: PasswordHasher
    let clock: EpochClock

    public func callAsFunction(_ actor: Principal, realm: String, userId: String, password: UserPassword, temporary: Bool) async throws {
        try Administration.authorize(actor, realm: realm)
        let hash = try await passwords.hash(password.value)
        let now = clock.now
        try await changes.commit(onUser: userId, realm: realm) { _, sql in
            try await UserStore(sql).setPassword(id: userId, hash: hash, mustChange: temporary, at: now)
            try await UserAccess.end(userId: userId, realm: realm, now: now, on: sql)
        }
    }
}
