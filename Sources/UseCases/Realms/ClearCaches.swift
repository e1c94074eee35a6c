import Domain
import Storage

/// Keycloak's `clear-realm-cache`, `clear-user-cache` and `clear-keys-cache`: this server's caches of realms, users,
/// clients, keys and verified tokens empty on every node, as after any change (the change feed carries it). Nothing
/// needs it — every change already does this — but scripts call it after writing to the database behind our back.
public struct ClearCaches: Sendable {
    let changes: ChangeLog

    public init(changes: ChangeLog) { self.changes = changes }

    public func callAsFunction(_ actor: Principal, realm: String) async throws {
        try Administration.authorize(actor, realm: realm, .manageRealm)
        try await changes.commit { _ in }
    }
}
