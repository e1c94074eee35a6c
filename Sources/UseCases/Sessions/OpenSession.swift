import Domain
import Storage

/// A login session for a user who just proved who they are (password grant, the login page). For the login page it
/// also stores the one-time code that the client redeems, in the same transaction.
public struct OpenSession: Sendable {
    let database: any Database
    let clock: EpochClock

    public init(database: any Database, clock: EpochClock) {
        self.database = database
        self.clock = clock
    }

    /// `code`: the authorization code to store with the session, by hash (its `sessionId` is filled in here).
    /// `address`: where the sign-in came from, as administrators see it in the session list.
    /// `offline`: an offline session (`scope=offline_access`, checked by the caller against the user's roles).
    public func callAsFunction(
        user: User, clientId: String, scope: String, realm: Realm, address: String?, offline: Bool = false, code: AuthorizationCode? = nil
    ) async throws -> LoginSession {
        let now = clock.now
        let session = LoginSession(
            id: Identifiers.uuid(), realm: realm.name, userId: user.id, clientId: clientId, scope: scope, createdAt: now,
            expiresAt: now.addingSaturated(realm.sessionLifespan(offline: offline)), refreshId: Identifiers.uuid(), ipAddress: address, lastAccess: now,
            offline: offline)
        var stored = code
        stored?.sessionId = session.id
        try await database.transaction { [stored] sql in
            try await SessionStore(sql).insert(session)
            if let stored { try await SessionStore(sql).insert(stored) }
        }
        return session
    }
}
