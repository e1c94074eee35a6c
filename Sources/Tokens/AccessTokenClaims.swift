import Domain
import JWTKit

/// The claims of a Keycloak access token. Time, issuer and type checks happen in `AccessTokenVerifier`, with an
/// injected clock, so `verify(using:)` has nothing left to do. What the protocol mappers add beyond Keycloak's standard
/// members is in `otherClaims`, read back too.
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
    public var acr: String?
    public var realmAccess: RoleList?
    public var resourceAccess: [String: RoleList]?
    public var scope: String
    public var emailVerified: Bool?
    public var preferredUsername: String?
    public var clientId: String?
    public var clientHost: String?
    public var clientAddress: String?
    public var name: String?
    public var givenName: String?
    public var familyName: String?
    public var email: String?
    public var otherClaims: [String: ClaimValue] = [:]

    enum CodingKeys: String, CodingKey, CaseIterable {
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

    public init(
        exp: Int, iat: Int, jti: String, iss: String, aud: Audience?, sub: String, typ: String, azp: String, sid: String?, acr: String?,
        realmAccess: RoleList?, resourceAccess: [String: RoleList]?, scope: String, emailVerified: Bool?, preferredUsername: String?,
        clientId: String? = nil, clientHost: String? = nil, clientAddress: String? = nil, name: String? = nil, givenName: String? = nil,
        familyName: String? = nil, email: String? = nil, otherClaims: [String: ClaimValue] = [:]
    ) {
        (self.exp, self.iat, self.jti, self.iss, self.aud, self.sub, self.typ, self.azp) = (exp, iat, jti, iss, aud, sub, typ, azp)
        (self.sid, self.acr, self.realmAccess, self.resourceAccess, self.scope) = (sid, acr, realmAccess, resourceAccess, scope)
        (self.emailVerified, self.preferredUsername, self.clientId, self.clientHost) = (emailVerified, preferredUsername, clientId, clientHost)
        (self.clientAddress, self.name, self.givenName, self.familyName, self.email) = (clientAddress, name, givenName, familyName, email)
        self.otherClaims = otherClaims
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        exp = try container.decode(Int.self, forKey: .exp)
        iat = try container.decode(Int.self, forKey: .iat)
        jti = try container.decode(String.self, forKey: .jti)
        iss = try container.decode(String.self, forKey: .iss)
        aud = try container.decodeIfPresent(Audience.self, forKey: .aud)
        sub = try container.decode(String.self, forKey: .sub)
        typ = try container.decode(String.self, forKey: .typ)
        azp = try container.decode(String.self, forKey: .azp)
        sid = try container.decodeIfPresent(String.self, forKey: .sid)
        acr = try container.decodeIfPresent(String.self, forKey: .acr)
        realmAccess = try container.decodeIfPresent(RoleList.self, forKey: .realmAccess)
        resourceAccess = try container.decodeIfPresent([String: RoleList].self, forKey: .resourceAccess)
        scope = try container.decode(String.self, forKey: .scope)
        emailVerified = try container.decodeIfPresent(Bool.self, forKey: .emailVerified)
        preferredUsername = try container.decodeIfPresent(String.self, forKey: .preferredUsername)
        clientId = try container.decodeIfPresent(String.self, forKey: .clientId)
        clientHost = try container.decodeIfPresent(String.self, forKey: .clientHost)
        clientAddress = try container.decodeIfPresent(String.self, forKey: .clientAddress)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        givenName = try container.decodeIfPresent(String.self, forKey: .givenName)
        familyName = try container.decodeIfPresent(String.self, forKey: .familyName)
        email = try container.decodeIfPresent(String.self, forKey: .email)
        otherClaims = try OtherClaims.decode(from: decoder, known: Set(CodingKeys.allCases.map(\.rawValue)))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(exp, forKey: .exp)
        try container.encode(iat, forKey: .iat)
        try container.encode(jti, forKey: .jti)
        try container.encode(iss, forKey: .iss)
        try container.encodeIfPresent(aud, forKey: .aud)
        try container.encode(sub, forKey: .sub)
        try container.encode(typ, forKey: .typ)
        try container.encode(azp, forKey: .azp)
        try container.encodeIfPresent(sid, forKey: .sid)
        try container.encodeIfPresent(acr, forKey: .acr)
        try container.encodeIfPresent(realmAccess, forKey: .realmAccess)
        try container.encodeIfPresent(resourceAccess, forKey: .resourceAccess)
        try container.encode(scope, forKey: .scope)
        try container.encodeIfPresent(emailVerified, forKey: .emailVerified)
        try container.encodeIfPresent(preferredUsername, forKey: .preferredUsername)
        try container.encodeIfPresent(clientId, forKey: .clientId)
        try container.encodeIfPresent(clientHost, forKey: .clientHost)
        try container.encodeIfPresent(clientAddress, forKey: .clientAddress)
        try container.encodeIfPresent(name, forKey: .name)
        try container.encodeIfPresent(givenName, forKey: .givenName)
        try container.encodeIfPresent(familyName, forKey: .familyName)
        try container.encodeIfPresent(email, forKey: .email)
        try OtherClaims.encode(otherClaims, to: encoder)
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {}

    /// The longest access token this server reads (`AccessTokenVerifier`), and so the longest it issues: a client whose
    /// mappers would make a longer one gets an error, not a token the API then refuses.
    public static let maximumBytes = 16_384
}

/// The members of a token beyond its type's own: decoded into, and encoded from, `[String: ClaimValue]`.
enum OtherClaims {
    struct Key: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    static func decode(from decoder: any Decoder, known: Set<String>) throws -> [String: ClaimValue] {
        let container = try decoder.container(keyedBy: Key.self)
        var other: [String: ClaimValue] = [:]
        for key in container.allKeys where !known.contains(key.stringValue) {
            if let value = try? container.decode(ClaimValue.self, forKey: key) { other[key.stringValue] = value }
        }
        return other
    }

    static func encode(_ other: [String: ClaimValue], to encoder: any Encoder) throws {
        guard !other.isEmpty else { return }
        var container = encoder.container(keyedBy: Key.self)
        for name in other.keys.sorted() { try container.encode(other[name], forKey: Key(stringValue: name)) }
    }
}
