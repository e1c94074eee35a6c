import Domain
import JWTKit

/// A Keycloak refresh token: `typ:"Refresh"`, bound to its session, signed with the realm-internal HMAC key.
public struct RefreshTokenClaims: JWTPayload, Equatable {
    public var exp, iat: Int
    public var jti, iss, aud, sub: String
    public var typ: String = "Refresh"
    public var azp: String
    public var sid: String
    public var scope: String

    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}
