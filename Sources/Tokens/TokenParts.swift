import Domain

/// What every token of ours names: its lifetime and id, who issued it, whom it is about and the client it went to.
/// The claim types are built from these parts, so each member is set in one place.
public struct TokenStamp: Sendable, Equatable {
    public var exp: Int
    public var iat: Int
    public var jti: String
    public var iss: String
    public var sub: String
    public var azp: String

    public init(exp: Int, iat: Int, jti: String, iss: String, sub: String, azp: String) {
        self.exp = exp
        self.iat = iat
        self.jti = jti
        self.iss = iss
        self.sub = sub
        self.azp = azp
    }
}

/// What access and ID tokens say of their user (nil members are left out of the token).
public struct TokenProfile: Sendable, Equatable {
    public var emailVerified: Bool
    public var preferredUsername: String
    public var name, givenName, familyName, email: String?

    public init(
        emailVerified: Bool, preferredUsername: String, name: String? = nil, givenName: String? = nil, familyName: String? = nil, email: String? = nil
    ) {
        (self.emailVerified, self.preferredUsername) = (emailVerified, preferredUsername)
        (self.name, self.givenName, self.familyName, self.email) = (name, givenName, familyName, email)
    }
}

extension AccessTokenClaims {
    /// A `Bearer` token. A service account's names its client and the caller's address, as Keycloak's does.
    public init(
        _ stamp: TokenStamp, audience: Audience?, sessionId: String?, realmRoles: [String], clientRoles: [String: RoleList]?, scope: String,
        profile: TokenProfile, serviceAccountAddress: String? = nil
    ) {
        self.init(
            exp: stamp.exp, iat: stamp.iat, jti: stamp.jti, iss: stamp.iss, aud: audience, sub: stamp.sub, typ: "Bearer", azp: stamp.azp,
            sid: sessionId, acr: "1", realmAccess: RoleList(roles: realmRoles), resourceAccess: clientRoles, scope: scope,
            emailVerified: profile.emailVerified, preferredUsername: profile.preferredUsername,
            clientId: serviceAccountAddress == nil ? nil : stamp.azp, clientHost: serviceAccountAddress, clientAddress: serviceAccountAddress,
            name: profile.name, givenName: profile.givenName, familyName: profile.familyName, email: profile.email)
    }
}

extension IDTokenClaims {
    /// An ID token; its audience is the client it was issued to.
    public init(_ stamp: TokenStamp, nonce: String?, sessionId: String?, atHash: String?, profile: TokenProfile) {
        self.init(
            exp: stamp.exp, iat: stamp.iat, jti: stamp.jti, iss: stamp.iss, aud: stamp.azp, sub: stamp.sub, azp: stamp.azp, nonce: nonce,
            sid: sessionId, atHash: atHash, emailVerified: profile.emailVerified, preferredUsername: profile.preferredUsername,
            name: profile.name, givenName: profile.givenName, familyName: profile.familyName, email: profile.email)
    }
}

extension RefreshTokenClaims {
    /// A refresh token of a session; its audience is the issuer, which alone redeems it.
    public init(_ stamp: TokenStamp, sessionId: String, scope: String) {
        self.init(exp: stamp.exp, iat: stamp.iat, jti: stamp.jti, iss: stamp.iss, aud: stamp.iss, sub: stamp.sub, azp: stamp.azp, sid: sessionId, scope: scope)
    }
}
