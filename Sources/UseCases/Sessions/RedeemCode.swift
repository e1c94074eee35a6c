import Domain
import Secrets
import Storage

/// Trades a one-time authorization code for its session (RFC 6749 §4.1.3) — for the token endpoint, which then signs
/// tokens, and for the portal, which opens its own session. The code is marked used by the same statement that checks
/// it is unused, so of simultaneous redemptions exactly one succeeds; a second redemption is refused and revokes what
/// the first one issued: its session ends and its access token is refused on every node (RFC 6749 §4.1.2).
public struct RedeemCode: Sendable {
    let changes: ChangeLog
    let revocations: RevocationList
    let clock: EpochClock

    public init(changes: ChangeLog, revocations: RevocationList, clock: EpochClock) {
        self.changes = changes
        self.revocations = revocations
        self.clock = clock
    }

    public struct Request: Sendable {
        public var realm: Realm
        public var clientId: String
        public var code: String
        public var redirectURI: String?
        public var verifier: String?
        /// The `jti` the access token of this redemption will carry (recorded so a replay can revoke it).
        public var accessTokenId: String

        public init(realm: Realm, clientId: String, code: String, redirectURI: String?, verifier: String?, accessTokenId: String) {
            self.realm = realm
            self.clientId = clientId
            self.code = code
            self.redirectURI = redirectURI
            self.verifier = verifier
            self.accessTokenId = accessTokenId
        }
    }

    /// What the code stood for.
    public struct Redemption: Sendable {
        public let session: LoginSession
        public let user: User
        public let scope: String
        public let nonce: String?
    }

    public func callAsFunction(_ request: Request) async throws -> Redemption {
        let now = clock.now
        let hash = TokenDigest.sha256Hex(request.code)
        let redeemed = try await changes.database.transaction { sql in
            try await SessionStore(sql).redeemCode(
                hash: hash, realm: request.realm.name, clientId: request.clientId, now: now, accessTokenId: request.accessTokenId)
        }
        guard let code = redeemed else {
            try await revokeIfReused(hash: hash, realm: request.realm, clientId: request.clientId, now: now)
            throw SessionError.codeNotValid
        }
        guard request.redirectURI == code.redirectUri else { throw SessionError.wrongRedirectURI }
        try PKCE.check(challenge: code.codeChallenge, method: code.codeChallengeMethod, verifier: request.verifier)
        let found = try await changes.read { sql -> (LoginSession, User)? in
            guard let session = try await SessionStore(sql).live(id: code.sessionId, now: now),
                let user = try await UserStore(sql).find(realm: code.realm, id: session.userId)
            else { return nil }
            return (session, user)
        }
        guard let (session, user) = found else { throw SessionError.sessionNotActive }
        guard user.enabled else { throw SessionError.userDisabled }
        return Redemption(session: session, user: user, scope: code.scope, nonce: code.nonce)
    }

    /// A code presented after its redemption: the session it opened ends and the access token it yielded is revoked.
    private func revokeIfReused(hash: String, realm: Realm, clientId: String, now: Int) async throws {
        guard let used = try await changes.read({ sql in try await SessionStore(sql).redeemedCode(hash: hash) }), used.realm == realm.name,
            used.clientId == clientId
        else { return }
        let expiresAt = (used.usedAt ?? now).addingSaturated(realm.accessTokenLifespan)
        try await changes.commit { sql in
            try await SessionStore(sql).end(id: used.sessionId)
            if let jti = used.accessTokenId { try await SessionStore(sql).revoke(jti: jti, realm: realm.name, expiresAt: expiresAt) }
        }
        // This node refuses the token at once; the others when the announcement reloads their lists.
        if let jti = used.accessTokenId { revocations.add(jti, expiresAt: expiresAt) }
        throw SessionError.codeReused
    }
}
