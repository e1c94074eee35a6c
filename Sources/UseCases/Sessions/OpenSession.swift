import Domain
import Secrets
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
    /// `provenWith`: the digest of the password hash the sign-in matched (`PasswordProof.passwordDigest`), or nil for one
    /// without a password (a federated sign-in).
    /// The session opens only if the user is still enabled and still has that password, read under the user's row
    /// lock: a sign-in that was hashing while an administrator reset the password or disabled the user gets no
    /// session (`SessionError.userDisabled`), and one that got in first is ended by the reset.
    public func callAsFunction(
        user: User, clientId: String, scope: String, realm: Realm, address: String?, offline: Bool = false, provenWith passwordDigest: String?,
        code: AuthorizationCode? = nil
    ) async throws -> LoginSession {
        let now = clock.now
        let session = LoginSession(
            id: Identifiers.uuid(), realm: realm.name, userId: user.id, clientId: clientId, scope: scope, createdAt: now,
            expiresAt: now.addingSaturated(realm.sessionLifespan(offline: offline)), refreshId: Identifiers.uuid(), ipAddress: address, lastAccess: now,
            offline: offline)
        var stored = code
        stored?.sessionId = session.id
        try await database.transaction { [stored] sql in
            guard let state = try await UserStore(sql).lockSignIn(realm: realm.name, id: user.id), state.enabled else { throw SessionError.userDisabled }
            if let passwordDigest, !ConstantTime.equals(state.passwordHash.map(TokenDigest.sha256Hex) ?? "", passwordDigest) {
                throw SessionError.credentialsChanged
            }
            try await SessionStore(sql).insert(session)
            if let stored { try await SessionStore(sql).insert(stored) }
        }
        return session
    }
}
