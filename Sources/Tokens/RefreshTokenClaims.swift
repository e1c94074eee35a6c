import Domain
import JWTKit

/// A Keycloak refresh token: `typ:"Refresh"`, bound to its session, signed with the realm-internal HMAC key.
public struct RefreshTokenClaims: JWTPayload, Equatable {
    public var exp: Int
    public var iat: Int
    public var jti: String
    public var iss: String
    public var aud: String
    public var sub: String
    public var typ: String = "Refresh"
    public var azp: String
    public var sid: String
    public var scope: String

    public init(
        exp: Int,
        iat: Int,
        jti: String,
        iss: String,
        aud: String,
        sub: String,
        typ: String = "Refresh",
        azp: String,
        sid: String,
        scope: String
    ) {
        self.exp = exp
        self.iat = iat
        self.jti = jti
        self.iss = iss
        self.aud = aud
        self.sub = sub
        self.typ = typ
        self.azp = azp
        self.sid = sid
        self.scope = scope
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}
