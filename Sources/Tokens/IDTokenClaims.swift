import Domain
import JWTKit

/// The claims of an OpenID Connect ID token (`typ:"ID"`, `aud` = the client).
public struct IDTokenClaims: JWTPayload, Equatable {
    public var exp: Int
    public var iat: Int
    public var jti: String
    public var iss: String
    public var aud: String
    public var sub: String
    public var typ: String = "ID"
    public var azp: String
    public var nonce: String?
    public var sid: String?
    public var atHash: String?
    public var acr: String?
    public var emailVerified: Bool?
    public var preferredUsername: String?
    public var name: String?
    public var givenName: String?
    public var familyName: String?
    public var email: String?
    /// What protocol mappers add beyond the standard members.
    public var otherClaims: [String: ClaimValue] = [:]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case exp, iat, jti, iss, aud, sub, typ, azp, nonce, sid, acr, name, email
        case atHash = "at_hash"
        case emailVerified = "email_verified"
        case preferredUsername = "preferred_username"
        case givenName = "given_name"
        case familyName = "family_name"
    }

    public init(
        exp: Int, iat: Int, jti: String, iss: String, aud: String, sub: String, azp: String, nonce: String?, sid: String?, atHash: String?,
        claims: ClaimSet
    ) {
        (self.exp, self.iat, self.jti, self.iss, self.aud, self.sub, self.azp) = (exp, iat, jti, iss, aud, sub, azp)
        (self.nonce, self.sid, self.atHash, self.acr) = (nonce, sid, atHash, claims.acr)
        (self.emailVerified, self.preferredUsername, self.name) = (claims.emailVerified, claims.preferredUsername, claims.name)
        (self.givenName, self.familyName, self.email, self.otherClaims) = (claims.givenName, claims.familyName, claims.email, claims.other)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        exp = try container.decode(Int.self, forKey: .exp)
        iat = try container.decode(Int.self, forKey: .iat)
        jti = try container.decode(String.self, forKey: .jti)
        iss = try container.decode(String.self, forKey: .iss)
        aud = try container.decode(String.self, forKey: .aud)
        sub = try container.decode(String.self, forKey: .sub)
        typ = try container.decode(String.self, forKey: .typ)
        azp = try container.decode(String.self, forKey: .azp)
        nonce = try container.decodeIfPresent(String.self, forKey: .nonce)
        sid = try container.decodeIfPresent(String.self, forKey: .sid)
        atHash = try container.decodeIfPresent(String.self, forKey: .atHash)
        acr = try container.decodeIfPresent(String.self, forKey: .acr)
        emailVerified = try container.decodeIfPresent(Bool.self, forKey: .emailVerified)
        preferredUsername = try container.decodeIfPresent(String.self, forKey: .preferredUsername)
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
        try container.encode(aud, forKey: .aud)
        try container.encode(sub, forKey: .sub)
        try container.encode(typ, forKey: .typ)
        try container.encode(azp, forKey: .azp)
        try container.encodeIfPresent(nonce, forKey: .nonce)
        try container.encodeIfPresent(sid, forKey: .sid)
        try container.encodeIfPresent(atHash, forKey: .atHash)
        try container.encodeIfPresent(acr, forKey: .acr)
        try container.encodeIfPresent(emailVerified, forKey: .emailVerified)
        try container.encodeIfPresent(preferredUsername, forKey: .preferredUsername)
        try container.encodeIfPresent(name, forKey: .name)
        try container.encodeIfPresent(givenName, forKey: .givenName)
        try container.encodeIfPresent(familyName, forKey: .familyName)
        try container.encodeIfPresent(email, forKey: .email)
        try OtherClaims.encode(otherClaims, to: encoder)
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}
