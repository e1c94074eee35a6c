import Domain
import Storage

/// Moves a live session to a new refresh token (RFC 6749 §6), after the front end has verified the presented one's
/// signature: one statement checks that the presented token is the session's current one and replaces it, so a refresh
/// token works once, however many requests carry it at the same moment.
public struct RefreshSession: Sendable {
    let database: any Database
    let clock: EpochClock

    public init(database: any Database, clock: EpochClock) {
        self.database = database
        self.clock = clock
    }

    public struct Refreshed: Sendable {
        public let user: User
        /// The `jti` of the refresh token to issue now.
        public let refreshId: String
    }

    /// `sessionId`, `refreshId` and `userId` are the verified token's `sid`, `jti` and `sub`; `offline` whether it is an
    /// offline token (its session must be offline too, and lives 30 days from now).
    public func callAsFunction(realm: Realm, sessionId: String, refreshId: String, userId: String, offline: Bool = false) async throws -> Refreshed {
        let now = clock.now
        let next = Identifiers.uuid()
        let user = try await database.transaction { sql -> User in
            guard let session = try await SessionStore(sql).rotate(
                id: sessionId, expected: refreshId, next: next, expiresAt: now.addingSaturated(realm.sessionLifespan(offline: offline)), now: now),
                session.userId == userId, session.offline == offline
            else { throw SessionError.sessionNotActive }
            guard let user = try await UserStore(sql).find(realm: realm.name, id: userId), user.enabled else { throw SessionError.userDisabled }
            return user
        }
        return Refreshed(user: user, refreshId: next)
    }
}
