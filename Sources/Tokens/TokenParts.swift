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

extension AccessTokenClaims {
    /// A `Bearer` token with what the protocol mappers made. A service account's names its client and the caller's
    /// address, as Keycloak's does.
    public init(_ stamp: TokenStamp, sessionId: String?, claims: ClaimSet, scope: String, serviceAccountAddress: String? = nil) {
        self.init(
            exp: stamp.exp, iat: stamp.iat, jti: stamp.jti, iss: stamp.iss, aud: claims.audience, sub: stamp.sub, typ: "Bearer", azp: stamp.azp,
            sid: sessionId, acr: claims.acr, realmAccess: claims.realmRoles.map { RoleList(roles: $0) },
            resourceAccess: claims.clientRoles.flatMap { $0.isEmpty ? nil : $0.mapValues { RoleList(roles: $0) } }, scope: scope,
            emailVerified: claims.emailVerified, preferredUsername: claims.preferredUsername,
            clientId: serviceAccountAddress == nil ? nil : stamp.azp, clientHost: serviceAccountAddress, clientAddress: serviceAccountAddress,
            name: claims.name, givenName: claims.givenName, familyName: claims.familyName, email: claims.email, otherClaims: claims.other)
    }
}

extension IDTokenClaims {
    /// An ID token; its audience is the client it was issued to.
    public init(_ stamp: TokenStamp, nonce: String?, sessionId: String?, atHash: String?, claims: ClaimSet) {
        self.init(
            exp: stamp.exp, iat: stamp.iat, jti: stamp.jti, iss: stamp.iss, aud: stamp.azp, sub: stamp.sub, azp: stamp.azp, nonce: nonce,
            sid: sessionId, atHash: atHash, claims: claims)
    }
}

extension RefreshTokenClaims {
    /// A refresh token of a session; its audience is the issuer, which alone redeems it.
    public init(_ stamp: TokenStamp, sessionId: String, scope: String) {
        self.init(exp: stamp.exp, iat: stamp.iat, jti: stamp.jti, iss: stamp.iss, aud: stamp.iss, sub: stamp.sub, azp: stamp.azp, sid: sessionId, scope: scope)
    }
}
