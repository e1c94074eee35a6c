import JWTKit
import Tokens

/// The claims read from an external provider's access token. Keycloak writes all of them; other providers leave
/// many out, so only `iss`, `sub` and `exp` are required. Time, issuer and type checks are `ExternalIssuerKeys`'s.
public struct ExternalAccessClaims: JWTPayload, Equatable {
    public var iss: String
    public var sub: String
    public var exp: Int
    public var iat: Int?
    public var jti: String?
    public var typ: String?
    public var azp: String?
    public var sid: String?
    public var scope: String?
    public var preferredUsername: String?
    public var email: String?
    public var emailVerified: Bool?
    public var name: String?
    public var givenName: String?
    public var familyName: String?
    public var realmAccess: RoleList?
    public var resourceAccess: [String: RoleList]?

    enum CodingKeys: String, CodingKey {
        case iss, sub, exp, iat, jti, typ, azp, sid, scope, email, name
        case preferredUsername = "preferred_username"
        case emailVerified = "email_verified"
        case givenName = "given_name"
        case familyName = "family_name"
        case realmAccess = "realm_access"
        case resourceAccess = "resource_access"
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {}

    /// Realm roles and every client's roles: a Keycloak that keeps the NexusOne roles on a client works too.
    public var roles: Set<String> {
        var roles = Set(realmAccess?.roles ?? [])
        for list in (resourceAccess ?? [:]).values { roles.formUnion(list.roles) }
        return roles
    }
}
