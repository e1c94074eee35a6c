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
    public var acr: String = "1"
    public var emailVerified: Bool
    public var preferredUsername: String
    public var name: String?
    public var givenName: String?
    public var familyName: String?
    public var email: String?

    public init(
        exp: Int,
        iat: Int,
        jti: String,
        iss: String,
        aud: String,
        sub: String,
        typ: String = "ID",
        azp: String,
        nonce: String? = nil,
        sid: String? = nil,
        atHash: String? = nil,
        acr: String = "1",
        emailVerified: Bool,
        preferredUsername: String,
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
        self.nonce = nonce
        self.sid = sid
        self.atHash = atHash
        self.acr = acr
        self.emailVerified = emailVerified
        self.preferredUsername = preferredUsername
        self.name = name
        self.givenName = givenName
        self.familyName = familyName
        self.email = email
    }

    enum CodingKeys: String, CodingKey {
        case exp, iat, jti, iss, aud, sub, typ, azp, nonce, sid, acr, name, email
        case atHash = "at_hash"
        case emailVerified = "email_verified"
        case preferredUsername = "preferred_username"
        case givenName = "given_name"
        case familyName = "family_name"
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}
