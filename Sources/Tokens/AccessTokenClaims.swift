import Domain
import JWTKit

/// The claims of a Keycloak access token. Time, issuer and type checks happen in `AccessTokenVerifier`, with an
/// injected clock, so `verify(using:)` has nothing left to do.
public struct AccessTokenClaims: JWTPayload, Equatable {
    public var exp: Int
    public var iat: Int
    public var jti: String
    public var iss: String
    public var aud: Audience?
    public var sub: String
    public var typ: String
    public var azp: String
    public var sid: String?
    public var acr: String
    public var realmAccess: RoleList
    public var resourceAccess: [String: RoleList]?
    public var scope: String
    public var emailVerified: Bool
    public var preferredUsername: String
    public var clientId: String?
    public var clientHost: String?
    public var clientAddress: String?
    public var name: String?
    public var givenName: String?
    public var familyName: String?
    public var email: String?

    enum CodingKeys: String, CodingKey {
        case exp, iat, jti, iss, aud, sub, typ, azp, sid, acr, scope, name, email
        case realmAccess = "realm_access"
        case resourceAccess = "resource_access"
        case emailVerified = "email_verified"
        case preferredUsername = "preferred_username"
        case clientId = "client_id"
        case clientHost, clientAddress
        case givenName = "given_name"
        case familyName = "family_name"
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}
