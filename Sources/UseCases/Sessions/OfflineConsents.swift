import Domain
import Storage

/// A user's offline tokens, grouped by client, as Keycloak lists them among consents (`GET …/users/{id}/consents`, an
/// "Offline Token" grant per client) and revokes them (`DELETE …/consents/{clientId}`). The same for the user in the
/// portal's Settings. Revoking ends the offline sessions at once: their refresh tokens are checked against storage.
public struct OfflineConsents: Sendable {
    let changes: ChangeLog
    let clock: EpochClock

    public init(changes: ChangeLog, clock: EpochClock) {
        self.changes = changes
        self.clock = clock
    }

    /// One client's offline tokens for a user.
    public struct Consent: Sendable, Equatable {
        public let clientId: String
        /// When the first of them was issued and when one was last refreshed.
        public let createdAt: Int
        public let lastUpdatedAt: Int
        public let sessions: Int
    }

    public func of(_ actor: Principal, realm: String, userId: String) async throws -> [Consent] {
        try Administration.authorize(actor, realm: realm, .viewUsers)
        return try await list(realm: realm, userId: userId)
    }

    public func revoke(_ actor: Principal, realm: String, userId: String, clientId: String) async throws {
        try Administration.authorize(actor, realm: realm, .manageUsers)
        try await end(realm: realm, userId: userId, clientId: clientId)
    }

    /// The signed-in user's own.
    public func own(_ user: Principal) async throws -> [Consent] { try await list(realm: user.realm, userId: user.subject) }

    public func revokeOwn(_ user: Principal, clientId: String) async throws {
        try AccountError.require(user, .manage)
        try await end(realm: user.realm, userId: user.subject, clientId: clientId)
    }

    private func list(realm: String, userId: String) async throws -> [Consent] {
        let now = clock.now
        return try await changes.read { sql in
            guard try await UserStore(sql).find(realm: realm, id: userId) != nil else { throw AdministrationError.notFound(.user) }
            let sessions = try await SessionStore(sql).live(userId: userId, now: now, offline: true)
            return Dictionary(grouping: sessions, by: \.clientId).map { clientId, sessions in
                Consent(
                    clientId: clientId, createdAt: sessions.map(\.createdAt).min() ?? now,
                    lastUpdatedAt: sessions.map { $0.lastAccess ?? $0.createdAt }.max() ?? now, sessions: sessions.count)
            }.sorted { $0.clientId < $1.clientId }
        }
    }

    private func end(realm: String, userId: String, clientId: String) async throws {
        try await changes.commit(onUser: userId, realm: realm) { _, sql in
            guard try await ClientStore(sql).find(realm: realm, clientId: clientId) != nil else { throw AdministrationError.notFound(.clientByClientId) }
            guard try await SessionStore(sql).endOffline(userId: userId, clientId: clientId) > 0 else { throw AdministrationError.notFound(.consent) }
        }
    }
}
