import Domain
import Storage

/// What the protocol endpoints ask about a token's session before they answer for it: userinfo, introspection and the
/// refresh check all refuse a token whose session ended (logout, revocation, expiry), on every node at once, because
/// the answer comes from storage rather than from the token.
public struct LiveSessions: Sendable {
    let database: any Database
    let clock: EpochClock

    public init(database: any Database, clock: EpochClock) {
        self.database = database
        self.clock = clock
    }

    /// The session while it lives, else nil.
    public func session(id: String) async throws -> LoginSession? {
        let now = clock.now
        return try await database.read { sql in try await SessionStore(sql).live(id: id, now: now) }
    }

    /// The enabled user a token names, while the session it names (if any) lives; one snapshot for both.
    public func user(realm: String, id: String, sessionId: String?) async throws -> User? {
        let now = clock.now
        let user = try await database.read { sql -> User? in
            if let sessionId, try await SessionStore(sql).live(id: sessionId, now: now) == nil { return nil }
            return try await UserStore(sql).find(realm: realm, id: id)
        }
        return user?.enabled == true ? user : nil
    }
}
