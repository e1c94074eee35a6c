import Domain
import Storage

/// Deletes a user with their sessions, roles and keys (storage cascades); service accounts go with their client. The
/// user's tokens issued so far are refused, as after disabling.
public struct DeleteUser: Sendable {
    let changes: ChangeLog
    let clock: EpochClock

    public func callAsFunction(_ actor: Principal, realm: String, userId: String) async throws {
        try Administration.authorize(actor, realm: realm, .manageUsers)
        if userId == actor.subject && actor.realm == realm { throw AdministrationError.refused("You cannot delete yourself.") }
        let now = clock.now
        try await changes.commit(onUser: userId, realm: realm) { user, sql in
            guard user.serviceAccountClientId == nil else { throw AdministrationError.refused("Service accounts are deleted with their client") }
            try await PrivilegeGuard.requireOutranks(actor, userId: userId, realm: realm, on: sql)
            try await UserAccess.end(userId: user.id, realm: realm, now: now, on: sql)
            try await UserStore(sql).delete(id: user.id)
        }
    }
}
