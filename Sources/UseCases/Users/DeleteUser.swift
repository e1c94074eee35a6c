import Domain
import Storage

/// Deletes a user with their sessions, roles and keys (storage cascades); service accounts go with their client.
public struct DeleteUser: Sendable {
    let changes: ChangeLog

    public init(changes: ChangeLog) { self.changes = changes }

    public func callAsFunction(_ actor: Principal, realm: String, userId: String) async throws {
        try Administration.authorize(actor, realm: realm)
        if userId == actor.subject && actor.realm == realm { throw AdministrationError.refused("You cannot delete yourself.") }
        try await changes.commit { sql in
            guard let user = try await UserStore(sql).find(realm: realm, id: userId) else { throw AdministrationError.notFound(.user) }
            guard user.serviceAccountClientId == nil else { throw AdministrationError.refused("Service accounts are deleted with their client") }
            try await UserStore(sql).delete(id: user.id)
        }
    }
}
