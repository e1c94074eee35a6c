import Domain
import Secrets
import Storage

/// The portal's browser sessions in storage, so any node serves any user: a session is known by the SHA-256 of its
/// cookie's 256 random bits, lives with the realm session it was opened through, and ends at logout or after its
/// lifetime. The cookie itself is the portal's business.
public struct BrowserSessions: Sendable {
    let database: any Database
    let endSession: EndSession
    let clock: EpochClock

    public init(database: any Database, endSession: EndSession, clock: EpochClock) {
        self.database = database
        self.endSession = endSession
        self.clock = clock
    }

    /// Who a live browser session belongs to, with the realm roles they hold now.
    public struct SignedIn: Sendable {
        public let user: User
        public let realmRoles: [String]
        public let adminRights: Set<AdminRight>
        public let accountRoles: Set<String>
        public let realmSessionId: String
        /// What the session is known by in storage (`close(hash:)` takes it).
        public let sessionHash: String
    }

    /// Records a session for the cookie value `secret`, living at most `lifetime` seconds.
    public func open(secret: String, userId: String, realmSessionId: String, realm: String, lifetime: Int) async throws {
        let now = clock.now
        let record = PortalSessionRecord(
            idHash: TokenDigest.sha256Hex(secret), realm: realm, userId: userId, realmSessionId: realmSessionId, createdAt: now,
            expiresAt: now + lifetime)
        try await database.transaction { sql in try await PortalSessionStore(sql).insert(record) }
    }

    /// The signed-in person of a live session of `realm`, or nil (unknown, expired, realm session ended, user disabled);
    /// one snapshot for all of it.
    public func signedIn(secret: String, realm: String) async throws -> SignedIn? {
        let hash = TokenDigest.sha256Hex(secret)
        let now = clock.now
        return try await database.read { sql -> SignedIn? in
            guard let session = try await PortalSessionStore(sql).live(idHash: hash, now: now), session.realm == realm,
                try await SessionStore(sql).live(id: session.realmSessionId, now: now) != nil,
                let user = try await UserStore(sql).find(realm: realm, id: session.userId), user.enabled
            else { return nil }
            let roles = try await EffectiveRoles.read(userId: user.id, on: sql)
            return SignedIn(
                user: user, realmRoles: roles.realm, adminRights: roles.adminRights, accountRoles: Set(roles.clients[KeycloakRealmLayout.account] ?? []),
                realmSessionId: session.realmSessionId, sessionHash: hash)
        }
    }

    /// Ends the browser session (known by its hash) and the realm session behind it.
    public func close(hash: String, realmSessionId: String) async throws {
        try await database.transaction { sql in try await PortalSessionStore(sql).delete(idHash: hash) }
        try await endSession(id: realmSessionId)
    }
}
