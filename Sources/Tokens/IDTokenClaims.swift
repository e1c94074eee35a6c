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
