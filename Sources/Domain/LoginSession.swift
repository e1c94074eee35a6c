/// A login session: what refresh tokens and ID tokens are bound to (`sid`).
public struct LoginSession: Sendable, Codable, Equatable {
    public var id: String
    public var realm: String
    public var userId: String
    /// The client's `clientId` (not the internal id).
    public var clientId: String
    public var scope: String
    public var createdAt: Int
    public var expiresAt: Int
    /// The `jti` of the only refresh token that may still be used: refresh tokens rotate.
    public var refreshId: String
    /// The address the user signed in from (Keycloak's `ipAddress`), and when a token of the session was last refreshed.
    public var ipAddress: String?
    public var lastAccess: Int?
    /// An offline session (`scope=offline_access`): its refresh tokens outlive sign-outs until its consent is revoked.
    public var offline: Bool

    public init(
        id: String, realm: String, userId: String, clientId: String, scope: String, createdAt: Int, expiresAt: Int, refreshId: String,
        ipAddress: String? = nil, lastAccess: Int? = nil, offline: Bool = false
    ) {
        self.id = id
        self.realm = realm
        self.userId = userId
        self.clientId = clientId
        self.scope = scope
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.refreshId = refreshId
        (self.ipAddress, self.lastAccess, self.offline) = (ipAddress, lastAccess, offline)
    }
}

/// A one-time authorization code, stored by its SHA-256 only.
public struct AuthorizationCode: Sendable, Codable, Equatable {
    public var codeHash: String
    public var realm: String
    public var clientId: String
    public var sessionId: String
    public var redirectUri: String
    public var codeChallenge: String?
    public var codeChallengeMethod: String?
    public var nonce: String?
    public var scope: String
    public var expiresAt: Int
    /// When it was redeemed; a redeemed code stays stored for a while so a second redemption is recognised.
    public var usedAt: Int?
    /// The access token the redemption issued (`jti`), revoked if the code is presented again.
    public var accessTokenId: String?

    public init(
        codeHash: String, realm: String, clientId: String, sessionId: String, redirectUri: String, codeChallenge: String?,
        codeChallengeMethod: String?, nonce: String?, scope: String, expiresAt: Int
    ) {
        self.codeHash = codeHash
        self.realm = realm
        self.clientId = clientId
        self.sessionId = sessionId
        self.redirectUri = redirectUri
        self.codeChallenge = codeChallenge
        self.codeChallengeMethod = codeChallengeMethod
        self.nonce = nonce
        self.scope = scope
        self.expiresAt = expiresAt
    }
}
