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

    public init(
        exp: Int,
        iat: Int,
        jti: String,
        iss: String,
        aud: Audience? = nil,
        sub: String,
        typ: String,
        azp: String,
        sid: String? = nil,
        acr: String,
        realmAccess: RoleList,
        resourceAccess: [String: RoleList]? = nil,
        scope: String,
        emailVerified: Bool,
        preferredUsername: String,
        clientId: String? = nil,
        clientHost: String? = nil,
        clientAddress: String? = nil,
        name: String? = nil,
        givenName: String? = nil,
        familyName: String? = nil,
        email: String? = nil
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
        self.acr = acr
        self.realmAccess = realmAccess
        self.resourceAccess = resourceAccess
        self.scope = scope
        self.emailVerified = emailVerified
        self.preferredUsername = preferredUsername
        self.clientId = clientId
        self.clientHost = clientHost
        self.clientAddress = clientAddress
        self.name = name
        self.givenName = givenName
        self.familyName = familyName
        self.email = email
    }

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
